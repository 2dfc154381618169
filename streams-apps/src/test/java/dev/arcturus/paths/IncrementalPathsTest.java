package dev.arcturus.paths;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.NetworkMetric;
import dev.arcturus.avro.PathSelection;
import dev.arcturus.avro.RoutedPath;
import dev.arcturus.events.EventMetadatas;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The incremental engine against its oracle: after every one of hundreds of random link changes (cheaper, dearer,
 * new, gone) on random graphs, with and without neighbour pruning, the incrementally maintained selections equal a
 * full recompute on the same links; and a node's first link brings it onto the routing graph.
 */
class IncrementalPathsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void everyUpdateMatchesAFullRecompute() {
        for (int seed = 1; seed <= 12; seed++) {
            final Random random = new Random(seed);
            final int pruning = seed % 3 == 0 ? 0 : 2 + random.nextInt(3);
            final RoutingPolicy policy = RoutingPolicy.defaults().with(Map.of(RoutingPolicy.MAX_LINKS_PER_NODE,
                    Integer.toString(pruning), RoutingPolicy.K, Integer.toString(1 + random.nextInt(3))));
            final int nodeCount = 6 + random.nextInt(8);
            final Map<String, String> regions = new HashMap<>();
            for (int i = 0; i < nodeCount; i++) {
                regions.put("n" + i, "R" + random.nextInt(3));
            }
            final Map<String, DomainOrigin> origins = Map.of("a.example", origin("a.example", "192.0.2.1"),
                    "b.example", origin("b.example", "192.0.2.2"));
            final Map<String, NetworkMetric> links = new TreeMap<>();
            for (int i = 0; i < nodeCount; i++) {
                for (int j = 0; j < nodeCount; j++) {
                    if (i != j && random.nextDouble() < 0.5) {
                        put(links, "n" + i, "n" + j, null, random);
                    }
                }
                for (final DomainOrigin o : origins.values()) {
                    if (random.nextDouble() < 0.4) {
                        put(links, "n" + i, null, o.getOriginIp(), random);
                    }
                }
            }
            final IncrementalPaths engine = new IncrementalPaths(policy, CLOCK);
            engine.full(snapshot(links, regions, origins), 0);
            for (int change = 0; change < 60; change++) {
                final String from = "n" + random.nextInt(nodeCount);
                final boolean toOrigin = random.nextDouble() < 0.3;
                final String toNode = toOrigin ? null : "n" + random.nextInt(nodeCount);
                if (from.equals(toNode)) {
                    continue;
                }
                final String toIp = toOrigin ? (random.nextBoolean() ? "192.0.2.1" : "192.0.2.2") : null;
                final String to = toOrigin ? toIp : toNode;
                NetworkMetric metric = null;
                if (random.nextDouble() < 0.2) {
                    links.remove(from + "|" + to);
                } else {
                    metric = put(links, from, toNode, toIp, random);
                }
                final Map<String, PathSelection> incremental = engine.update(from, to, metric,
                        snapshot(links, regions, origins), change + 1);
                final Map<String, PathSelection> full = new IncrementalPaths(policy, CLOCK)
                        .full(snapshot(links, regions, origins), change + 1);
                assertThat(paths(incremental)).as("seed %d, change %d (%s -> %s)", seed, change, from, to)
                        .isEqualTo(paths(full));
            }
        }
    }

    @Test
    void aRegisteredNodesFirstLinkBringsItOntoTheRoutingGraph() {
        // A fleet registers many nodes that measure no link; they stay off the distance bounds until their first one.
        final Random random = new Random(7);
        final Map<String, String> regions = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            regions.put("n" + i, "R" + i % 3);
        }
        final Map<String, DomainOrigin> origins = Map.of("a.example", origin("a.example", "192.0.2.1"));
        final Map<String, NetworkMetric> links = new TreeMap<>();
        put(links, "n1", "n2", null, random);
        put(links, "n2", null, "192.0.2.1", random);
        final RoutingPolicy policy = RoutingPolicy.defaults();
        final IncrementalPaths engine = new IncrementalPaths(policy, CLOCK);
        engine.full(snapshot(links, regions, origins), 0);

        final NetworkMetric first = put(links, "n0", "n1", null, random);
        final Map<String, PathSelection> incremental = engine.update("n0", "n1", first,
                snapshot(links, regions, origins), 1);

        assertThat(paths(incremental)).isEqualTo(paths(new IncrementalPaths(policy, CLOCK)
                .full(snapshot(links, regions, origins), 1)));
        assertThat(paths(incremental).get("node:n0|a.example")).hasSize(1);
    }

    /** A domain origin set, moved or deleted recomputes only that domain, exactly as a full recompute would. */
    @Test
    void anOriginChangeAgreesWithAFullRecompute() {
        final Random random = new Random(11);
        final Map<String, String> regions = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            regions.put("n" + i, "R" + i % 4);
        }
        final Map<String, NetworkMetric> links = new TreeMap<>();
        for (int a = 0; a < 60; a++) {
            for (int b = 0; b < 60; b++) {
                if (a != b && random.nextDouble() < 0.3) {
                    put(links, "n" + a, "n" + b, null, random);
                }
            }
            for (final String ip : List.of("192.0.2.1", "192.0.2.2", "192.0.2.3")) {
                if (random.nextDouble() < 0.4) {
                    put(links, "n" + a, null, ip, random);
                }
            }
        }
        final Map<String, DomainOrigin> origins = new HashMap<>(Map.of("a.example", origin("a.example", "192.0.2.1"),
                "b.example", origin("b.example", "192.0.2.2")));
        final RoutingPolicy policy = RoutingPolicy.defaults();
        final IncrementalPaths engine = new IncrementalPaths(policy, CLOCK);
        engine.full(snapshot(links, regions, origins), 0);

        final List<Map.Entry<String, DomainOrigin>> steps = new ArrayList<>();
        steps.add(Map.entry("a.example", origin("a.example", "192.0.2.3")));   // moved
        steps.add(Map.entry("c.example", origin("c.example", "192.0.2.1")));   // new
        steps.add(new java.util.AbstractMap.SimpleEntry<>("b.example", null)); // deleted
        long at = 1;
        for (final Map.Entry<String, DomainOrigin> step : steps) {
            if (step.getValue() == null) {
                origins.remove(step.getKey());
            } else {
                origins.put(step.getKey(), step.getValue());
            }
            final Map<String, PathSelection> incremental = engine.originChanged(step.getKey(), step.getValue(),
                    snapshot(links, regions, origins), at);
            assertThat(paths(incremental)).as("after %s", step).isEqualTo(paths(new IncrementalPaths(policy, CLOCK)
                    .full(snapshot(links, regions, origins), at)));
            at++;
        }
        assertThat(paths(engine.selections()).keySet()).noneMatch(key -> key.endsWith("|b.example"))
                .anyMatch(key -> key.endsWith("|c.example"));
        // Links still update incrementally afterwards (the new origin's bounds are in place).
        final NetworkMetric faster = put(links, "n3", null, "192.0.2.3", random);
        assertThat(paths(engine.update("n3", "192.0.2.3", faster, snapshot(links, regions, origins), at)))
                .isEqualTo(paths(new IncrementalPaths(policy, CLOCK).full(snapshot(links, regions, origins), at)));
    }

    /**
     * Only proxies relay: a controller or measurement node on the cheapest route is skipped, while paths still start
     * and end at such nodes (node→domain from it, region pairs between regions of them).
     */
    @Test
    void shouldRouteOnlyThroughNodesThatRelay() {
        final Map<String, String> regions = Map.of("a", "R1", "ctl", "R2", "proxy", "R2", "b", "R3");
        final Map<String, DomainOrigin> origins = Map.of("a.example", origin("a.example", "192.0.2.1"));
        final Map<String, NetworkMetric> links = new TreeMap<>();
        link(links, "a", "ctl", null, 1);
        link(links, "ctl", null, "192.0.2.1", 1);
        link(links, "a", "proxy", null, 5);
        link(links, "proxy", null, "192.0.2.1", 5);
        link(links, "a", null, "192.0.2.1", 50);
        link(links, "ctl", "b", null, 1);
        link(links, "proxy", "b", null, 5);
        final IncrementalPaths engine = new IncrementalPaths(RoutingPolicy.defaults(), CLOCK);

        final Map<String, PathSelection> everyoneRelays = engine.full(new IncrementalPaths.Snapshot(
                List.copyOf(links.values()), regions, origins, Map.of(), key -> null, Set.of()), 0);
        assertThat(everyoneRelays.get("node:a|a.example").getPaths().get(0).getHops())
                .containsExactly("a", "ctl", "192.0.2.1");

        final Map<String, PathSelection> proxiesOnly = engine.full(new IncrementalPaths.Snapshot(
                List.copyOf(links.values()), regions, origins, Map.of(), key -> null, Set.of("a", "ctl", "b")), 0);
        assertThat(proxiesOnly.get("node:a|a.example").getPaths().get(0).getHops())
                .containsExactly("a", "proxy", "192.0.2.1");
        assertThat(proxiesOnly.get("node:ctl|a.example").getPaths().get(0).getHops()).as("a path may start at one")
                .containsExactly("ctl", "192.0.2.1");
        assertThat(proxiesOnly.get("R1|region:R3").getPaths().get(0).getHops())
                .containsExactly("a", "proxy", "b");
        assertThat(proxiesOnly.get("R1|region:R2").getPaths().get(0).getHops()).as("and end at one")
                .containsExactly("a", "ctl");
    }

    private static void link(final Map<String, NetworkMetric> links, final String from, final String toNode,
                             final String toIp, final double score) {
        links.put(from + "|" + (toNode != null ? toNode : toIp), NetworkMetric.newBuilder()
                .setMetadata(EventMetadatas.newMetadata("test", CLOCK)).setSourceIp("10.0.0.1")
                .setDestinationIp(toIp != null ? toIp : "10.0.0.2").setSourceNodeId(from).setDestinationNodeId(toNode)
                .setLinkLatencyMs(score).setCpuMean(0).setCpuVariance(0).setVirtualQueueCpuMean(0)
                .setVirtualQueueCpuVariance(0).setLinkScore(score).setUpdatedAt(CLOCK.instant()).build());
    }

    private static Map<String, List<String>> paths(final Map<String, PathSelection> selections) {
        final Map<String, List<String>> out = new TreeMap<>();
        selections.forEach((key, selection) -> {
            final List<String> described = new ArrayList<>();
            for (final RoutedPath path : selection.getPaths()) {
                described.add(String.join(">", path.getHops()) + String.format(" %.9f", path.getCost()));
            }
            out.put(key, described);
        });
        return out;
    }

    private static IncrementalPaths.Snapshot snapshot(final Map<String, NetworkMetric> links,
                                                     final Map<String, String> regions,
                                                     final Map<String, DomainOrigin> origins) {
        return new IncrementalPaths.Snapshot(List.copyOf(links.values()), regions, origins, Map.of(), key -> null);
    }

    private static NetworkMetric put(final Map<String, NetworkMetric> links, final String from, final String toNode,
                                     final String toIp, final Random random) {
        final double score = 0.5 + random.nextDouble() * 20;
        final NetworkMetric metric = NetworkMetric.newBuilder().setMetadata(EventMetadatas.newMetadata("test", CLOCK))
                .setSourceIp("10.0.0.1").setDestinationIp(toIp != null ? toIp : "10.0.0.2").setSourceNodeId(from)
                .setDestinationNodeId(toNode).setLinkLatencyMs(score).setCpuMean(0).setCpuVariance(0)
                .setVirtualQueueCpuMean(0).setVirtualQueueCpuVariance(0).setLinkScore(score)
                .setUpdatedAt(CLOCK.instant()).build();
        links.put(from + "|" + (toNode != null ? toNode : toIp), metric);
        return metric;
    }

    private static DomainOrigin origin(final String domain, final String ip) {
        return DomainOrigin.newBuilder().setMetadata(EventMetadatas.newMetadata("test", CLOCK)).setDomain(domain)
                .setOriginIp(ip).build();
    }
}
