package dev.arcturus.gateway.api;

import dev.arcturus.avro.GeoCoordinates;
import dev.arcturus.avro.Heartbeat;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.NodeRole;
import dev.arcturus.avro.User;
import dev.arcturus.avro.UserRole;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.gateway.api.v1.DeleteNodeRequest;
import dev.arcturus.gateway.api.v1.DeleteNodeResponse;
import dev.arcturus.gateway.api.v1.GetNodesRequest;
import dev.arcturus.gateway.api.v1.GetNodesResponse;
import dev.arcturus.gateway.api.v1.GetScavengerRequest;
import dev.arcturus.gateway.api.v1.GetScavengerResponse;
import dev.arcturus.gateway.api.v1.ImportNodesRequest;
import dev.arcturus.gateway.api.v1.ImportNodesResponse;
import dev.arcturus.gateway.api.v1.ImportedNode;
import dev.arcturus.gateway.api.v1.IssuedToken;
import dev.arcturus.gateway.api.v1.LivenessEvent;
import dev.arcturus.gateway.api.v1.Node;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.NodeSpec;
import dev.arcturus.gateway.api.v1.RegisterNodeRequest;
import dev.arcturus.gateway.api.v1.ReportHeartbeatRequest;
import dev.arcturus.gateway.api.v1.ReportHeartbeatResponse;
import dev.arcturus.gateway.api.v1.ReportProbesRequest;
import dev.arcturus.gateway.api.v1.ReportSystemInfoRequest;
import dev.arcturus.gateway.api.v1.ReportTelemetryResponse;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.SetScavengerRequest;
import dev.arcturus.gateway.api.v1.UpdateNodeRequest;
import dev.arcturus.gateway.api.v1.WatchRequest;
import dev.arcturus.gateway.auth.Caller;
import dev.arcturus.gateway.auth.Principal;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.gateway.mapping.Protos;
import dev.arcturus.gateway.watch.Watches;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The fleet (fleet.proto): registration with node tokens, reads with liveness, scavenger mode, heartbeats. */
public final class NodeApi extends NodeServiceGrpc.NodeServiceImplBase {
    private static final int MAX_IMPORT = 10_000;

    private final Plane plane;
    private final UserApi users;
    private final JobCommands commands;
    private final Watches watches;
    private final TelemetryReports telemetry;

    public NodeApi(final Plane plane, final UserApi users, final Watches watches) {
        this.telemetry = new TelemetryReports(plane);
        this.plane = plane;
        this.users = users;
        this.commands = new JobCommands(plane);
        this.watches = watches;
    }

    @Override
    public void registerNode(final RegisterNodeRequest request, final StreamObserver<IssuedToken> response) {
        Handlers.unary(response, () -> {
            Caller.requireAdmin();
            return register(request.getNode(), "node.");
        });
    }

    @Override
    public void importNodes(final ImportNodesRequest request, final StreamObserver<ImportNodesResponse> response) {
        Handlers.unary(response, () -> {
            Caller.requireAdmin();
            if (request.getNodesCount() == 0 || request.getNodesCount() > MAX_IMPORT) {
                throw Requests.invalid("nodes", "1 to " + MAX_IMPORT + " nodes per import, was "
                        + request.getNodesCount());
            }
            final ImportNodesResponse.Builder result = ImportNodesResponse.newBuilder();
            for (int i = 0; i < request.getNodesCount(); i++) {
                final NodeSpec node = request.getNodes(i);
                try {
                    final IssuedToken issued = register(node, "nodes[" + i + "].");
                    result.addNodes(ImportedNode.newBuilder().setId(node.getId()).setRegistered(true)
                            .setToken(issued.getToken()));
                } catch (final StatusRuntimeException e) {
                    result.addNodes(ImportedNode.newBuilder().setId(node.getId()).setRegistered(false)
                            .setError(e.getStatus().getCode() + ": " + e.getStatus().getDescription()));
                }
            }
            return result.build();
        });
    }

    private IssuedToken register(final NodeSpec spec, final String prefix) {
        final String id = Requests.requireId(prefix + "id", spec.getId());
        if (spec.getRole() != Role.ROLE_UNSPECIFIED && spec.getRole() != Role.NODE && spec.getRole() != Role.NODE_PRIV) {
            throw Requests.invalid(prefix + "role", "NODE or NODE_PRIV, was " + spec.getRole());
        }
        if (plane.view().get(TopicCatalog.NODE_REGISTRATION, id).isPresent()
                || plane.view().get(TopicCatalog.USER, id).isPresent()) {
            throw Requests.exists("node or user", id);
        }
        final NodeRegistration node = NodeRegistration.newBuilder()
                .setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock()))
                .setNodeId(id).setIp(Requests.requireText(prefix + "ip", spec.getIp()))
                .setRegion(Requests.requireId(prefix + "region", spec.getRegion()))
                .setHostname(Requests.optionalText(prefix + "name", spec.getName()))
                .setDescription(Requests.optionalText(prefix + "description", spec.getDescription()))
                .setRole(spec.getNodeRole() == dev.arcturus.gateway.api.v1.NodeRole.NODE_ROLE_UNSPECIFIED
                        ? NodeRole.MEASUREMENT : nodeRole(prefix + "node_role", spec.getNodeRole()))
                .setCoords(coords(prefix + "coords", spec.getCoords()))
                .setLocation(Requests.optionalText(prefix + "location", spec.getLocation()))
                .setProvider(Requests.optionalText(prefix + "provider", spec.getProvider()))
                .setPublicIp(Requests.optionalText(prefix + "public_ip", spec.getPublicIp()))
                .setTags(new ArrayList<>(spec.getTagsList()))
                .setRegisteredAt(plane.clock().instant()).build();
        final User principal = User.newBuilder().setMetadata(node.getMetadata()).setUserId(id)
                .setName(node.getHostname() == null ? id : node.getHostname())
                .setRole(spec.getRole() == Role.NODE_PRIV ? UserRole.NODE_PRIV : UserRole.NODE)
                .setKernelAccess(spec.getRole() == Role.NODE_PRIV).build();
        plane.writer().write(TopicCatalog.NODE_REGISTRATION, id, node);
        return users.issue(principal, 0, prefix + "token_ttl_seconds");
    }

    static NodeRole nodeRole(final String field, final dev.arcturus.gateway.api.v1.NodeRole role) {
        return switch (role) {
            case CONTROLLER -> NodeRole.CONTROLLER;
            case PROXY -> NodeRole.PROXY;
            case MEASUREMENT -> NodeRole.MEASUREMENT;
            default -> throw Requests.invalid(field, "CONTROLLER, PROXY or MEASUREMENT, was " + role);
        };
    }

    /** LEOScope's "lat,lon" text, validated (it parsed coords from the wrong field). */
    static GeoCoordinates coords(final String field, final String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        final String[] parts = text.split(",");
        try {
            final double lat = Double.parseDouble(parts[0].trim());
            final double lon = Double.parseDouble(parts[1].trim());
            if (parts.length != 2 || lat < -90 || lat > 90 || lon < -180 || lon > 180) {
                throw new NumberFormatException();
            }
            return new GeoCoordinates(lat, lon);
        } catch (final NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw Requests.invalid(field, "'" + Requests.abbreviate(text) + "' must be \"lat,lon\" in degrees "
                    + "(-90..90, -180..180)");
        }
    }

    @Override
    public void getNodes(final GetNodesRequest request, final StreamObserver<GetNodesResponse> response) {
        Handlers.unary(response, () -> {
            Caller.current();
            if (request.getActiveWithinSeconds() < 0) {
                throw Requests.invalid("active_within_seconds", "must be >= 0");
            }
            final Instant activeSince = plane.clock().instant().minusSeconds(request.getActiveWithinSeconds());
            final List<Node> nodes = plane.view().all(TopicCatalog.NODE_REGISTRATION).stream()
                    .filter(n -> request.getId().isEmpty() || request.getId().equals(n.getNodeId()))
                    .filter(n -> request.getRegion().isEmpty() || request.getRegion().equals(n.getRegion()))
                    .filter(n -> request.getLocation().isEmpty() || request.getLocation().equals(n.getLocation()))
                    .filter(n -> request.getProvider().isEmpty() || request.getProvider().equals(n.getProvider()))
                    .map(n -> Protos.node(n, liveness(n.getNodeId())))
                    .filter(n -> request.getActiveWithinSeconds() == 0
                            || (n.hasLastActive() && !Timestamps.instant(n.getLastActive()).isBefore(activeSince)))
                    .sorted(Comparator.comparing(Node::getId)).toList();
            final Paging.Page<Node> page = Paging.page(nodes, Node::getId, request.getPage());
            return GetNodesResponse.newBuilder().addAllNodes(page.items()).setNextPageToken(page.nextPageToken()).build();
        });
    }

    private NodeLiveness liveness(final String nodeId) {
        return plane.view().get(TopicCatalog.NODE_LIVENESS, nodeId).orElse(null);
    }

    @Override
    public void updateNode(final UpdateNodeRequest request, final StreamObserver<Node> response) {
        Handlers.unary(response, () -> {
            final String id = Requests.requireId("id", request.getId());
            Caller.requireNodeItselfOrAdmin(id);
            final NodeRegistration node = existing(id);
            if (!request.getName().isEmpty()) {
                node.setHostname(Requests.optionalText("name", request.getName()));
            }
            if (!request.getDescription().isEmpty()) {
                node.setDescription(Requests.optionalText("description", request.getDescription()));
            }
            if (!request.getIp().isEmpty()) {
                node.setIp(Requests.requireText("ip", request.getIp()));
            }
            if (!request.getRegion().isEmpty()) {
                node.setRegion(Requests.requireId("region", request.getRegion()));
            }
            if (!request.getCoords().isEmpty()) {
                node.setCoords(coords("coords", request.getCoords()));
            }
            if (!request.getLocation().isEmpty()) {
                node.setLocation(Requests.optionalText("location", request.getLocation()));
            }
            if (!request.getProvider().isEmpty()) {
                node.setProvider(Requests.optionalText("provider", request.getProvider()));
            }
            if (!request.getPublicIp().isEmpty()) {
                node.setPublicIp(Requests.optionalText("public_ip", request.getPublicIp()));
            }
            if (request.getNodeRole() != dev.arcturus.gateway.api.v1.NodeRole.NODE_ROLE_UNSPECIFIED) {
                // A role decides whether paths may pass through the node: the operator's call, not the node's.
                Caller.requireAdmin();
                node.setRole(nodeRole("node_role", request.getNodeRole()));
            }
            return save(node);
        });
    }

    @Override
    public void deleteNode(final DeleteNodeRequest request, final StreamObserver<DeleteNodeResponse> response) {
        Handlers.unary(response, () -> {
            final Principal caller = Caller.requireAdmin();
            final String id = Requests.requireId("id", request.getId());
            existing(id);
            final DeleteNodeResponse.Builder result = DeleteNodeResponse.newBuilder();
            if (request.getDeleteJobs()) {
                result.setJobsDeleted(commands.send(JobRequest.deleteAllOnNode(id, caller.id())));
            }
            plane.writer().write(TopicCatalog.NODE_REGISTRATION, id, null);
            if (plane.view().get(TopicCatalog.USER, id).isPresent()) {
                plane.writer().write(TopicCatalog.USER, id, null); // the node's token dies with it
            }
            return result.setDeleted(true).build();
        });
    }

    @Override
    public void setScavenger(final SetScavengerRequest request, final StreamObserver<Node> response) {
        Handlers.unary(response, () -> {
            final String id = Requests.requireId("node_id", request.getNodeId());
            Caller.requireNodeItselfOrAdmin(id);
            final NodeRegistration node = existing(id);
            node.setScavengerModeActive(request.getActive());
            return save(node);
        });
    }

    @Override
    public void getScavenger(final GetScavengerRequest request, final StreamObserver<GetScavengerResponse> response) {
        Handlers.unary(response, () -> {
            Caller.current();
            final String id = Requests.requireId("node_id", request.getNodeId());
            // Unlike LEOScope, "found" means the node exists, whatever its mode.
            return plane.view().get(TopicCatalog.NODE_REGISTRATION, id)
                    .map(n -> GetScavengerResponse.newBuilder().setFound(true).setActive(n.getScavengerModeActive()))
                    .orElse(GetScavengerResponse.newBuilder().setFound(false)).build();
        });
    }

    @Override
    public void reportHeartbeat(final ReportHeartbeatRequest request,
                                final StreamObserver<ReportHeartbeatResponse> response) {
        Handlers.unary(response, () -> {
            final String id = Requests.requireId("node_id", request.getNodeId());
            final Principal caller = Caller.current();
            if (!caller.isNode() || !caller.id().equals(id)) {
                throw Caller.denied("only node " + id + " itself reports its heartbeats");
            }
            existing(id);
            plane.writer().send(TopicCatalog.NODE_HEARTBEAT, id, Heartbeat.newBuilder()
                    .setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock())).setNodeId(id)
                    .setSentAt(plane.clock().instant()).setSequence(request.getSequence()).setIntervalMs(10_000).build());
            return ReportHeartbeatResponse.newBuilder().setReceived(true).build();
        });
    }

    @Override
    public void reportSystemInfo(final ReportSystemInfoRequest request,
                                 final StreamObserver<ReportTelemetryResponse> response) {
        Handlers.unary(response, () -> ReportTelemetryResponse.newBuilder()
                .setAccepted(telemetry.systemInfo(reportingNode(request.getInfo().getNodeId()), request)).build());
    }

    @Override
    public void reportProbes(final ReportProbesRequest request, final StreamObserver<ReportTelemetryResponse> response) {
        Handlers.unary(response, () -> ReportTelemetryResponse.newBuilder()
                .setAccepted(telemetry.probes(reportingNode(request.getNodeId()), request)).build());
    }

    /** Telemetry comes from the node itself, never from anyone on its behalf. */
    private NodeRegistration reportingNode(final String nodeId) {
        final String id = Requests.requireId("node_id", nodeId);
        final Principal caller = Caller.current();
        if (!caller.isNode() || !caller.id().equals(id)) {
            throw Caller.denied("only node " + id + " itself reports its telemetry");
        }
        return existing(id);
    }

    @Override
    public void watchLiveness(final WatchRequest request, final StreamObserver<LivenessEvent> response) {
        Caller.current();
        watches.liveness(request, response);
    }

    private NodeRegistration existing(final String id) {
        return plane.view().get(TopicCatalog.NODE_REGISTRATION, id)
                .map(n -> NodeRegistration.newBuilder(n).build())
                .orElseThrow(() -> Requests.notFound("node", id));
    }

    private Node save(final NodeRegistration node) {
        node.setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock()));
        plane.writer().write(TopicCatalog.NODE_REGISTRATION, node.getNodeId(), node);
        return Protos.node(node, liveness(node.getNodeId()));
    }
}
