package dev.arcturus.gateway;

import static dev.arcturus.gateway.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.arcturus.avro.PathSelection;
import dev.arcturus.avro.RoutedPath;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.gateway.api.v1.GetNodesRequest;
import dev.arcturus.gateway.api.v1.GetPathsRequest;
import dev.arcturus.gateway.api.v1.NodeRole;
import dev.arcturus.gateway.api.v1.NodeSpec;
import dev.arcturus.gateway.api.v1.PathEvent;
import dev.arcturus.gateway.api.v1.PlaneServiceGrpc;
import dev.arcturus.gateway.api.v1.RegisterNodeRequest;
import dev.arcturus.gateway.api.v1.UpdateNodeRequest;
import dev.arcturus.gateway.api.v1.WatchPathsRequest;
import dev.arcturus.testing.SharedPlane;
import dev.arcturus.testing.TopicProducer;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * GetPaths for the three kinds the path-selection app computes, and WatchPaths: changes pushed by region or node,
 * removals, and a resume after a disconnect that misses nothing and repeats nothing; and the node roles paths obey.
 */
class PathWatchTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final GatewayFixture gateway = GatewayFixture.instance();

    @Test
    void shouldServeEachKindOfSelectionAndRefuseAmbiguousRequests() {
        final String region = unique("west");
        final String other = unique("east");
        final String node = unique("proxy");
        try (TopicProducer producer = new TopicProducer(SharedPlane.instance())) {
            producer.send(TopicCatalog.PATH_SELECTION, "node:" + node + "|example.org",
                    selection("NODE_TO_DOMAIN", region, node, null, List.of(node, "10.0.0.9")));
            producer.send(TopicCatalog.PATH_SELECTION, region + "|example.org",
                    selection("REGION_TO_DOMAIN", region, null, null, List.of(node, "10.0.0.9")));
            producer.send(TopicCatalog.PATH_SELECTION, region + "|region:" + other,
                    selection("REGION_TO_REGION", region, null, other, List.of(node, "east-1")));
        }
        final var plane = gateway.plane(gateway.newUser(unique("reader"), dev.arcturus.gateway.api.v1.Role.USER));
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
            final var fromNode = plane.getPaths(GetPathsRequest.newBuilder().setSourceNode(node)
                    .setDomain("example.org").build());
            assertThat(fromNode.getKind()).isEqualTo("NODE_TO_DOMAIN");
            assertThat(fromNode.getSourceNode()).isEqualTo(node);
            assertThat(fromNode.getRoutes(0).getNodeIdsList()).containsExactly(node, "10.0.0.9");
            final var toRegion = plane.getPaths(GetPathsRequest.newBuilder().setSourceRegion(region)
                    .setDestinationRegion(other).build());
            assertThat(toRegion.getKind()).isEqualTo("REGION_TO_REGION");
            assertThat(toRegion.getDestinationRegion()).isEqualTo(other);
            assertThat(plane.getPaths(GetPathsRequest.newBuilder().setSourceRegion(region).setDomain("example.org")
                    .build()).getKind()).isEqualTo("REGION_TO_DOMAIN");
        });
        assertThatThrownBy(() -> plane.getPaths(GetPathsRequest.newBuilder().setSourceRegion(region)
                .setSourceNode(node).setDomain("example.org").build()))
                .hasMessageContaining("INVALID_ARGUMENT: source_region");
        assertThatThrownBy(() -> plane.getPaths(GetPathsRequest.newBuilder().setSourceRegion(region).build()))
                .hasMessageContaining("INVALID_ARGUMENT: domain");
        assertThatThrownBy(() -> plane.getPaths(GetPathsRequest.newBuilder().setSourceNode(node)
                .setDestinationRegion(other).build())).hasMessageContaining("INVALID_ARGUMENT: destination_region");
    }

    @Test
    void shouldPushARegionsPathChangesAndResumeWithoutAGap() {
        final String region = unique("west");
        final String elsewhere = unique("south");
        final String token = gateway.newUser(unique("proxy-operator"), dev.arcturus.gateway.api.v1.Role.USER);
        final List<PathEvent> first = new CopyOnWriteArrayList<>();
        final Context.CancellableContext disconnect = Context.current().withCancellation();
        disconnect.run(() -> PlaneServiceGrpc.newStub(gateway.channel())
                .withCallCredentials(GatewayFixture.bearer(token))
                .watchPaths(WatchPathsRequest.newBuilder().setRegion(region).build(), GatewayFixture.collect(first)));
        await().atMost(PATIENCE).until(() -> !first.isEmpty());
        assertThat(first.get(0).getBookmark()).isTrue();

        try (TopicProducer producer = new TopicProducer(SharedPlane.instance())) {
            producer.send(TopicCatalog.PATH_SELECTION, region + "|example.org",
                    selection("REGION_TO_DOMAIN", region, null, null, List.of("a", "10.0.0.9")));
            producer.send(TopicCatalog.PATH_SELECTION, elsewhere + "|example.org",
                    selection("REGION_TO_DOMAIN", elsewhere, null, null, List.of("z", "10.0.0.9")));
            producer.flush();
            await().atMost(PATIENCE).until(() -> first.size() == 2);
            assertThat(first.get(1).getSelection().getRoutes(0).getNodeIdsList()).containsExactly("a", "10.0.0.9");

            // The proxy loses its connection; meanwhile the path changes twice and then disappears.
            disconnect.cancel(null);
            producer.send(TopicCatalog.PATH_SELECTION, region + "|example.org",
                    selection("REGION_TO_DOMAIN", region, null, null, List.of("b", "10.0.0.9")));
            producer.send(TopicCatalog.PATH_SELECTION, region + "|region:" + elsewhere,
                    selection("REGION_TO_REGION", region, null, elsewhere, List.of("b", "z")));
            producer.send(TopicCatalog.PATH_SELECTION, region + "|example.org", null);
            producer.flush();
        }
        final List<PathEvent> resumed = new CopyOnWriteArrayList<>();
        PlaneServiceGrpc.newStub(gateway.channel()).withCallCredentials(GatewayFixture.bearer(token))
                .watchPaths(WatchPathsRequest.newBuilder().setRegion(region)
                        .setResumeToken(first.get(1).getResumeToken()).build(), GatewayFixture.collect(resumed));
        await().atMost(PATIENCE).until(() -> resumed.size() >= 4);
        assertThat(resumed.get(0).getBookmark()).isTrue();
        // Per key, in order, each once; the other region's selection is not this watcher's.
        final List<PathEvent> changes = resumed.subList(1, resumed.size());
        assertThat(changes).hasSize(3);
        final Map<String, List<String>> byKey = new java.util.TreeMap<>();
        for (final PathEvent event : changes) {
            byKey.computeIfAbsent(event.getSelectionKey(), k -> new java.util.ArrayList<>()).add(event.getRemoved()
                    .isEmpty() ? String.join(",", event.getSelection().getRoutes(0).getNodeIdsList()) : "removed");
        }
        assertThat(byKey).containsExactlyInAnyOrderEntriesOf(Map.of(
                region + "|example.org", List.of("b,10.0.0.9", "removed"),
                region + "|region:" + elsewhere, List.of("b,z")));
    }

    /** A node's role decides whether paths pass through it: set at registration, changed only by an ADMIN. */
    @Test
    void shouldKeepEachNodesRoleAndLetOnlyAnAdminChangeIt() {
        final String admin = gateway.adminToken();
        final String proxy = unique("proxy");
        final String nodeToken = gateway.nodes(admin).registerNode(RegisterNodeRequest.newBuilder().setNode(
                NodeSpec.newBuilder().setId(proxy).setIp("10.9.0.1").setRegion("eu-west")
                        .setNodeRole(NodeRole.PROXY)).build()).getToken();
        final String plain = unique("probe");
        gateway.nodes(admin).registerNode(RegisterNodeRequest.newBuilder().setNode(NodeSpec.newBuilder().setId(plain)
                .setIp("10.9.0.2").setRegion("eu-west")).build());
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(role(admin, proxy)).isEqualTo(NodeRole.PROXY);
            assertThat(role(admin, plain)).as("LEOScope's nodes measure").isEqualTo(NodeRole.MEASUREMENT);
        });
        assertThatThrownBy(() -> gateway.nodes(nodeToken).updateNode(UpdateNodeRequest.newBuilder().setId(proxy)
                .setNodeRole(NodeRole.CONTROLLER).build())).hasMessageContaining("PERMISSION_DENIED");
        assertThat(gateway.nodes(admin).updateNode(UpdateNodeRequest.newBuilder().setId(proxy)
                .setNodeRole(NodeRole.CONTROLLER).build()).getNodeRole()).isEqualTo(NodeRole.CONTROLLER);
    }

    private NodeRole role(final String token, final String node) {
        return gateway.nodes(token).getNodes(GetNodesRequest.newBuilder().setId(node).build()).getNodes(0)
                .getNodeRole();
    }

    private static PathSelection selection(final String kind, final String region, final String node,
                                           final String toRegion, final List<String> hops) {
        final boolean toDomain = toRegion == null;
        return PathSelection.newBuilder().setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()))
                .setKind(kind).setSourceRegion(region).setSourceNodeId(node).setDestinationRegion(toRegion)
                .setDomain(toDomain ? "example.org" : "").setOriginIp(toDomain ? "10.0.0.9" : "")
                .setPaths(List.of(new RoutedPath(hops, 12.5, 12.0))).setComputedAt(Instant.now()).build();
    }
}
