package dev.arcturus.gateway.api;

import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.PathSelection;
import dev.arcturus.avro.RoutedPath;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.gateway.api.v1.DeleteDomainOriginRequest;
import dev.arcturus.gateway.api.v1.DeleteDomainOriginResponse;
import dev.arcturus.gateway.api.v1.DomainOrigin;
import dev.arcturus.gateway.api.v1.GetPathsRequest;
import dev.arcturus.gateway.api.v1.ListDomainOriginsRequest;
import dev.arcturus.gateway.api.v1.ListDomainOriginsResponse;
import dev.arcturus.gateway.api.v1.ListNodeRegionsRequest;
import dev.arcturus.gateway.api.v1.ListNodeRegionsResponse;
import dev.arcturus.gateway.api.v1.NodeRegion;
import dev.arcturus.gateway.api.v1.PlaneServiceGrpc;
import dev.arcturus.gateway.api.v1.Route;
import dev.arcturus.gateway.api.v1.SetDomainOriginRequest;
import dev.arcturus.gateway.auth.Caller;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.stub.StreamObserver;
import java.util.Comparator;
import java.util.regex.Pattern;

/** The Arcturus Scheduling Plane's data (plane.proto). */
public final class PlaneApi extends PlaneServiceGrpc.PlaneServiceImplBase {
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private final Plane plane;

    public PlaneApi(final Plane plane) {
        this.plane = plane;
    }

    @Override
    public void listNodeRegions(final ListNodeRegionsRequest request,
                                final StreamObserver<ListNodeRegionsResponse> response) {
        Handlers.unary(response, () -> {
            Caller.current();
            return ListNodeRegionsResponse.newBuilder().addAllNodes(plane.view().all(TopicCatalog.NODE_REGISTRATION)
                    .stream().filter(n -> request.getRegion().isEmpty() || request.getRegion().equals(n.getRegion()))
                    .sorted(Comparator.comparing(NodeRegistration::getNodeId))
                    .map(n -> NodeRegion.newBuilder().setNodeId(n.getNodeId()).setIp(n.getIp()).setRegion(n.getRegion())
                            .build()).toList()).build();
        });
    }

    @Override
    public void setDomainOrigin(final SetDomainOriginRequest request, final StreamObserver<DomainOrigin> response) {
        Handlers.unary(response, () -> {
            Caller.requireAdmin();
            final DomainOrigin origin = request.getOrigin();
            final String domain = domain("origin.domain", origin.getDomain());
            final String ip = Requests.requireText("origin.origin_ip", origin.getOriginIp());
            if (origin.getOriginPort() < 1 || origin.getOriginPort() > 65_535) {
                throw Requests.invalid("origin.origin_port", "1-65535, was " + origin.getOriginPort());
            }
            plane.writer().write(TopicCatalog.DOMAIN_ORIGIN, domain, dev.arcturus.avro.DomainOrigin.newBuilder()
                    .setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock())).setDomain(domain)
                    .setOriginIp(ip).setOriginPort(origin.getOriginPort()).build());
            return origin;
        });
    }

    @Override
    public void deleteDomainOrigin(final DeleteDomainOriginRequest request,
                                   final StreamObserver<DeleteDomainOriginResponse> response) {
        Handlers.unary(response, () -> {
            Caller.requireAdmin();
            final String domain = domain("domain", request.getDomain());
            if (plane.view().get(TopicCatalog.DOMAIN_ORIGIN, domain).isEmpty()) {
                throw Requests.notFound("domain", domain);
            }
            plane.writer().write(TopicCatalog.DOMAIN_ORIGIN, domain, null);
            return DeleteDomainOriginResponse.newBuilder().setDeleted(true).build();
        });
    }

    @Override
    public void listDomainOrigins(final ListDomainOriginsRequest request,
                                  final StreamObserver<ListDomainOriginsResponse> response) {
        Handlers.unary(response, () -> {
            Caller.current();
            return ListDomainOriginsResponse.newBuilder().addAllOrigins(plane.view().all(TopicCatalog.DOMAIN_ORIGIN)
                    .stream().sorted(Comparator.comparing(dev.arcturus.avro.DomainOrigin::getDomain))
                    .map(o -> DomainOrigin.newBuilder().setDomain(o.getDomain()).setOriginIp(o.getOriginIp())
                            .setOriginPort(o.getOriginPort()).build()).toList()).build();
        });
    }

    @Override
    public void getPaths(final GetPathsRequest request,
                         final StreamObserver<dev.arcturus.gateway.api.v1.PathSelection> response) {
        Handlers.unary(response, () -> {
            Caller.current();
            final String region = Requests.requireId("source_region", request.getSourceRegion());
            final String domain = domain("domain", request.getDomain());
            final PathSelection selection = plane.view().get(TopicCatalog.PATH_SELECTION, region + "|" + domain)
                    .orElseThrow(() -> Requests.notFound("path selection", region + "|" + domain));
            final var view = dev.arcturus.gateway.api.v1.PathSelection.newBuilder().setSourceRegion(region)
                    .setDomain(domain).setOriginIp(selection.getOriginIp())
                    .putAllLastMileWeights(selection.getLastMileWeights())
                    .setComputedAt(Timestamps.of(selection.getComputedAt()));
            for (final RoutedPath path : selection.getPaths()) {
                view.addRoutes(Route.newBuilder().addAllNodeIds(path.getHops()).setCost(path.getCost()));
            }
            view.setAlgorithm(selection.getAlgorithm());
            for (final dev.arcturus.avro.FlowPath path : selection.getMultipath()) {
                view.addMultipath(Route.newBuilder().addAllNodeIds(path.getHops()).setCost(path.getLatencyMs())
                        .setWeight(path.getFlow()));
            }
            return view.build();
        });
    }

    private static String domain(final String field, final String domain) {
        if (domain == null || domain.isEmpty()) {
            throw Requests.invalid(field, "required");
        }
        if (!DOMAIN.matcher(domain).matches()) {
            throw Requests.invalid(field, "'" + Requests.abbreviate(domain) + "' is not a DNS name");
        }
        return domain.toLowerCase(java.util.Locale.ROOT);
    }
}
