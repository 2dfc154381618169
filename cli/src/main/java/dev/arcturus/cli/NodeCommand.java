package dev.arcturus.cli;

import dev.arcturus.gateway.api.v1.DeleteNodeRequest;
import dev.arcturus.gateway.api.v1.GetNodesRequest;
import dev.arcturus.gateway.api.v1.GetNodesResponse;
import dev.arcturus.gateway.api.v1.GetScavengerRequest;
import dev.arcturus.gateway.api.v1.GetScavengerResponse;
import dev.arcturus.gateway.api.v1.ImportNodesRequest;
import dev.arcturus.gateway.api.v1.ImportNodesResponse;
import dev.arcturus.gateway.api.v1.IssuedToken;
import dev.arcturus.gateway.api.v1.Node;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.NodeRole;
import dev.arcturus.gateway.api.v1.NodeSpec;
import dev.arcturus.gateway.api.v1.PageRequest;
import dev.arcturus.gateway.api.v1.RegisterNodeRequest;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.SetScavengerRequest;
import dev.arcturus.gateway.api.v1.UpdateNodeRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code arcturus node register|import|get|update|delete|scavenger-set|scavenger-unset|scavenger-get}. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Measurement nodes.")
public final class NodeCommand {
    static final List<String> IMPORT_COLUMNS = List.of("id", "ip", "region", "name", "description", "coords",
            "location", "provider", "public_ip", "tags", "node_role");

    @Mixin
    GatewayClient gateway;

    private NodeServiceGrpc.NodeServiceBlockingStub nodes() {
        return gateway.stub(NodeServiceGrpc::newBlockingStub);
    }

    @Command(name = "register", description = "Register a node (ADMIN); prints its token once.")
    int register(@Option(names = "--nodeid", required = true) final String id,
                 @Option(names = "--ip", required = true) final String ip,
                 @Option(names = "--region", required = true) final String region,
                 @Option(names = "--name", defaultValue = "") final String name,
                 @Option(names = "--description", defaultValue = "") final String description,
                 @Option(names = "--coords", defaultValue = "", description = "\"lat,lon\"") final String coords,
                 @Option(names = "--location", defaultValue = "") final String location,
                 @Option(names = "--provider", defaultValue = "") final String provider,
                 @Option(names = "--public-ip", defaultValue = "") final String publicIp,
                 @Option(names = "--privileged", description = "NODE_PRIV: its kernel service honours privileged jobs.")
                 final boolean privileged,
                 @Option(names = "--node-role", defaultValue = "MEASUREMENT", description = "CONTROLLER, PROXY or "
                         + "MEASUREMENT (default); only proxies relay paths.") final NodeRole nodeRole) {
        final IssuedToken issued = nodes().registerNode(RegisterNodeRequest.newBuilder().setNode(NodeSpec.newBuilder()
                .setId(id).setIp(ip).setRegion(region).setName(name).setDescription(description).setCoords(coords)
                .setLocation(location).setProvider(provider).setPublicIp(publicIp)
                .setRole(privileged ? Role.NODE_PRIV : Role.NODE).setNodeRole(nodeRole)).build());
        final Output out = new Output(System.out, gateway.json());
        if (out.json()) {
            out.message(issued);
        } else {
            out.text("registered node " + id);
            out.text("token: " + issued.getToken());
            System.err.println("Give this token to the node's connector now: it is shown only once.");
        }
        return ExitCodes.OK;
    }

    @Command(name = "import", description = "Register nodes from a CSV file with a header row of: id, ip, region, "
            + "name, description, coords, location, provider, public_ip, tags (';'-separated), node_role (CONTROLLER, "
            + "PROXY or MEASUREMENT); only id, ip and region are required. Prints each node's outcome and token.")
    int importNodes(@Option(names = "--file", required = true) final Path file) throws IOException {
        final List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            System.err.println("error: " + file + " is empty");
            return ExitCodes.INVALID;
        }
        final List<String> header = Arrays.stream(lines.get(0).split(",", -1)).map(String::strip).toList();
        if (!IMPORT_COLUMNS.containsAll(header) || !header.containsAll(List.of("id", "ip", "region"))) {
            System.err.println("error: header must name columns among " + IMPORT_COLUMNS + ", including id, ip, region");
            return ExitCodes.INVALID;
        }
        final ImportNodesRequest.Builder request = ImportNodesRequest.newBuilder();
        for (final String line : lines.subList(1, lines.size())) {
            try {
                request.addNodes(row(header, line.split(",", -1)));
            } catch (final IllegalArgumentException e) {
                System.err.println("error: " + file + ": node_role must be CONTROLLER, PROXY or MEASUREMENT in: "
                        + line);
                return ExitCodes.INVALID;
            }
        }
        final ImportNodesResponse result = nodes().importNodes(request.build());
        final Output out = new Output(System.out, gateway.json());
        if (out.json()) {
            out.message(result);
        } else {
            out.table(List.of("NODE", "REGISTERED", "TOKEN / ERROR"), result.getNodesList().stream()
                    .map(n -> List.of(n.getId(), Boolean.toString(n.getRegistered()),
                            n.getRegistered() ? n.getToken() : n.getError())).toList());
        }
        return result.getNodesList().stream().allMatch(n -> n.getRegistered()) ? ExitCodes.OK : ExitCodes.CONFLICT;
    }

    private static NodeSpec row(final List<String> header, final String[] cells) {
        final NodeSpec.Builder node = NodeSpec.newBuilder();
        for (int c = 0; c < header.size() && c < cells.length; c++) {
            final String value = cells[c].strip();
            switch (header.get(c)) {
                case "id" -> node.setId(value);
                case "ip" -> node.setIp(value);
                case "region" -> node.setRegion(value);
                case "name" -> node.setName(value);
                case "description" -> node.setDescription(value);
                case "coords" -> node.setCoords(value.replace(';', ','));
                case "location" -> node.setLocation(value);
                case "provider" -> node.setProvider(value);
                case "public_ip" -> node.setPublicIp(value);
                case "tags" -> node.addAllTags(Arrays.stream(value.split(";")).filter(t -> !t.isBlank()).toList());
                case "node_role" -> node.setNodeRole(value.isEmpty() ? NodeRole.NODE_ROLE_UNSPECIFIED
                        : NodeRole.valueOf(value.toUpperCase(java.util.Locale.ROOT)));
                default -> throw new IllegalStateException("unchecked column " + header.get(c));
            }
        }
        return node.build();
    }

    @Command(name = "get", description = "List nodes, optionally only those active within N seconds.")
    int get(@Option(names = "--nodeid", defaultValue = "") final String id,
            @Option(names = "--region", defaultValue = "") final String region,
            @Option(names = "--location", defaultValue = "") final String location,
            @Option(names = "--provider", defaultValue = "") final String provider,
            @Option(names = "--active-thres", defaultValue = "0",
                    description = "Only nodes heard from within this many seconds (0: all).") final long active) {
        final List<Node> all = new ArrayList<>();
        String token = "";
        do {
            final GetNodesResponse page = nodes().getNodes(GetNodesRequest.newBuilder().setId(id).setRegion(region)
                    .setLocation(location).setProvider(provider).setActiveWithinSeconds(active)
                    .setPage(PageRequest.newBuilder().setPageSize(1000).setPageToken(token)).build());
            all.addAll(page.getNodesList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        final Output out = new Output(System.out, gateway.json());
        if (out.json()) {
            all.forEach(out::line);
        } else {
            out.table(List.of("NODE", "NAME", "ROLE", "REGION", "IP", "LIVENESS", "LAST ACTIVE", "SCAVENGER",
                            "LOCATION"),
                    all.stream().map(n -> List.of(n.getId(), n.getName(),
                            n.getNodeRole().name().replace("NODE_ROLE_UNSPECIFIED", "-"), n.getRegion(), n.getIp(),
                            n.getLiveness().name().replace("LIVENESS_STATE_UNSPECIFIED", "-"),
                            Output.time(n.getLastActive()), Boolean.toString(n.getScavengerModeActive()),
                            Output.orDash(n.getLocation()))).toList());
        }
        return ExitCodes.OK;
    }

    @Command(name = "update", description = "Change a node's details (the node itself or ADMIN).")
    int update(@Option(names = "--nodeid", required = true) final String id,
               @Option(names = "--name", defaultValue = "") final String name,
               @Option(names = "--description", defaultValue = "") final String description,
               @Option(names = "--ip", defaultValue = "") final String ip,
               @Option(names = "--region", defaultValue = "") final String region,
               @Option(names = "--coords", defaultValue = "") final String coords,
               @Option(names = "--location", defaultValue = "") final String location,
               @Option(names = "--provider", defaultValue = "") final String provider,
               @Option(names = "--public-ip", defaultValue = "") final String publicIp,
               @Option(names = "--node-role", defaultValue = "NODE_ROLE_UNSPECIFIED",
                       description = "CONTROLLER, PROXY or MEASUREMENT (ADMIN only).") final NodeRole nodeRole) {
        print(nodes().updateNode(UpdateNodeRequest.newBuilder().setId(id).setName(name).setDescription(description)
                .setNodeRole(nodeRole)
                .setIp(ip).setRegion(region).setCoords(coords).setLocation(location).setProvider(provider)
                .setPublicIp(publicIp).build()));
        return ExitCodes.OK;
    }

    @Command(name = "delete", description = "Delete a node and its token (ADMIN).")
    int delete(@Option(names = "--nodeid", required = true) final String id,
               @Option(names = "--delete-jobs", negatable = true, defaultValue = "false") final boolean deleteJobs) {
        nodes().deleteNode(DeleteNodeRequest.newBuilder().setId(id).setDeleteJobs(deleteJobs).build());
        new Output(System.out, gateway.json()).text("deleted node " + id + (deleteJobs ? " and its jobs" : ""));
        return ExitCodes.OK;
    }

    @Command(name = "scavenger-set", description = "Turn scavenger mode on (the node itself or ADMIN).")
    int scavengerSet(@Option(names = "--nodeid", required = true) final String id) {
        print(nodes().setScavenger(SetScavengerRequest.newBuilder().setNodeId(id).setActive(true).build()));
        return ExitCodes.OK;
    }

    @Command(name = "scavenger-unset", description = "Turn scavenger mode off.")
    int scavengerUnset(@Option(names = "--nodeid", required = true) final String id) {
        print(nodes().setScavenger(SetScavengerRequest.newBuilder().setNodeId(id).setActive(false).build()));
        return ExitCodes.OK;
    }

    @Command(name = "scavenger-get", description = "Show whether scavenger mode is on.")
    int scavengerGet(@Option(names = "--nodeid", required = true) final String id) {
        final GetScavengerResponse mode = nodes().getScavenger(GetScavengerRequest.newBuilder().setNodeId(id).build());
        final Output out = new Output(System.out, gateway.json());
        if (out.json()) {
            out.message(mode);
        } else if (!mode.getFound()) {
            System.err.println("error: NOT_FOUND: node '" + id + "' does not exist");
            return ExitCodes.NOT_FOUND;
        } else {
            out.text("scavenger mode " + (mode.getActive() ? "on" : "off") + " for " + id);
        }
        return ExitCodes.OK;
    }

    private void print(final Node node) {
        final Output out = new Output(System.out, gateway.json());
        if (out.json()) {
            out.message(node);
        } else {
            out.table(List.of("NODE", "NAME", "REGION", "IP", "SCAVENGER", "LOCATION", "PROVIDER"),
                    List.of(List.of(node.getId(), node.getName(), node.getRegion(), node.getIp(),
                            Boolean.toString(node.getScavengerModeActive()), Output.orDash(node.getLocation()),
                            Output.orDash(node.getProvider()))));
        }
    }
}
