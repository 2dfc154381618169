package dev.arcturus.gateway.api;

import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.PathSelection;
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
import dev.arcturus.gateway.api.v1.PathEvent;
import dev.arcturus.gateway.api.v1.WatchPathsRequest;
import dev.arcturus.gateway.mapping.Protos;
import dev.arcturus.gateway.watch.Watches;
import dev.arcturus.gateway.api.v1.SetDomainOriginRequest;
import dev.arcturus.gateway.auth.Caller;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.stub.StreamObserver;
import java.util.Comparator;
import java.util.regex.Pattern;

/** The Arcturus Scheduling Plane's data (plane.proto). */
public final class PlaneApi extends PlaneServiceGrpc.PlaneServiceImplBase {
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private final Plane plane;
    private final Watches watches;

    public PlaneApi(final Plane plane, final Watches watches) {
        this.plane = plane;
        this.watches = watches;
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
            final String key = selectionKey(request);
            final PathSelection selection = plane.view().get(TopicCatalog.PATH_SELECTION, key)
                    .orElseThrow(() -> Requests.notFound("path selection", key));
            return Protos.pathSelection(selection);
        });
    }

    /** The selection's key on network.path.selection.v1, from exactly one source and one destination. */
    private static String selectionKey(final GetPathsRequest request) {
        final boolean fromRegion = !request.getSourceRegion().isEmpty();
        final boolean fromNode = !request.getSourceNode().isEmpty();
        final boolean toDomain = !request.getDomain().isEmpty();
        final boolean toRegion = !request.getDestinationRegion().isEmpty();
        if (fromRegion == fromNode) {
            throw Requests.invalid("source_region", "give exactly one of source_region and source_node");
        }
        if (toDomain == toRegion) {
            throw Requests.invalid("domain", "give exactly one of domain and destination_region");
        }
        if (fromNode && toRegion) {
            throw Requests.invalid("destination_region", "paths from a node go to a domain; from a region to a "
                    + "domain or a region");
        }
        if (fromNode) {
            return "node:" + Requests.requireId("source_node", request.getSourceNode()) + "|"
                    + domain("domain", request.getDomain());
        }
        final String region = Requests.requireId("source_region", request.getSourceRegion());
        return toDomain ? region + "|" + domain("domain", request.getDomain())
                : region + "|region:" + Requests.requireId("destination_region", request.getDestinationRegion());
    }

    @Override
    public void watchPaths(final WatchPathsRequest request, final StreamObserver<PathEvent> response) {
        try {
            Caller.current();
            if (!request.getRegion().isEmpty() && !request.getNodeId().isEmpty()) {
                throw Requests.invalid("region", "filter by region or by node_id, not both");
            }
            if (!request.getRegion().isEmpty()) {
                Requests.requireId("region", request.getRegion());
            }
            if (!request.getNodeId().isEmpty()) {
                Requests.requireId("node_id", request.getNodeId());
            }
        } catch (final io.grpc.StatusRuntimeException e) {
            response.onError(e);
            return;
        }
        watches.paths(request, response);
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
