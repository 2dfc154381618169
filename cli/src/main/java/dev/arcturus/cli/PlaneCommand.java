package dev.arcturus.cli;

import dev.arcturus.gateway.api.v1.GetPathsRequest;
import dev.arcturus.gateway.api.v1.ListDomainOriginsRequest;
import dev.arcturus.gateway.api.v1.ListDomainOriginsResponse;
import dev.arcturus.gateway.api.v1.PathSelection;
import dev.arcturus.gateway.api.v1.PlaneServiceGrpc;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code arcturus plane origins|paths}: the Scheduling Plane's domain origins and computed paths (seed 000). */
@Command(name = "plane", mixinStandardHelpOptions = true,
        description = "Domain origins and the paths the plane selected (follow changes with `watch paths`).")
public final class PlaneCommand {
    @Mixin
    GatewayClient gateway;

    private PlaneServiceGrpc.PlaneServiceBlockingStub plane() {
        return gateway.stub(PlaneServiceGrpc::newBlockingStub);
    }

    @Command(name = "origins", description = "Every domain and its origin server.")
    int origins() {
        final ListDomainOriginsResponse origins = plane().listDomainOrigins(ListDomainOriginsRequest.getDefaultInstance());
        final Output out = new Output(System.out, gateway.json());
        if (out.json()) {
            out.message(origins);
        } else {
            out.table(List.of("DOMAIN", "ORIGIN", "PORT"), origins.getOriginsList().stream()
                    .map(o -> List.of(o.getDomain(), o.getOriginIp(), Integer.toString(o.getOriginPort()))).toList());
        }
        return ExitCodes.OK;
    }

    @Command(name = "paths", description = "The k best paths from a region or a node to a domain, or from a region to "
            + "a region.")
    int paths(@Option(names = "--region", defaultValue = "", description = "From this region.") final String region,
              @Option(names = "--nodeid", defaultValue = "", description = "From this node.") final String node,
              @Option(names = "--domain", defaultValue = "", description = "To this domain's origin.") final String domain,
              @Option(names = "--to-region", defaultValue = "", description = "To this region.") final String toRegion) {
        final PathSelection selection = plane().getPaths(GetPathsRequest.newBuilder().setSourceRegion(region)
                .setSourceNode(node).setDomain(domain).setDestinationRegion(toRegion).build());
        final Output out = new Output(System.out, gateway.json());
        if (out.json()) {
            out.message(selection);
        } else {
            out.text(selection.getKind() + " computed " + Output.time(selection.getComputedAt()));
            selection.getRoutesList().forEach(route -> out.text(String.format("%8.2f  %s", route.getCost(),
                    String.join(" > ", route.getNodeIdsList()))));
            if (!selection.getLastMileWeightsMap().isEmpty()) {
                out.text("last mile: " + new java.util.TreeMap<>(selection.getLastMileWeightsMap()));
            }
        }
        return ExitCodes.OK;
    }

    /** A selection's routes on one line: {@code a > b > origin (12.5); …}. */
    static String routes(final PathSelection selection) {
        return selection.getRoutesList().stream().map(route -> String.join(" > ", route.getNodeIdsList())
                + String.format(" (%.2f)", route.getCost())).collect(Collectors.joining("; "));
    }
}
