package dev.arcturus.tools.bench;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.NetworkMetric;
import dev.arcturus.avro.NodeCpuStats;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.paths.IncrementalPaths;
import dev.arcturus.paths.RoutingPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arcturus bench paths}: path selection on a full probe mesh ({@code --regions} × {@code --nodes-per-region}
 * nodes, every ordered pair linked, latencies from region distance plus noise, one domain origin), with the default
 * routing policy (each node's 16 best links). {@code full_ms}: one complete computation (node-to-origin,
 * region-to-origin with last mile, every region pair, distance bounds); {@code update_ms}: from one changed probe to
 * updated selections — a random link's latency moving by up to ±20 %, as probe rounds do — the median over
 * {@code --updates} changes. Also printed: the same for a link suddenly 10× faster (a rare, far-reaching change).
 * {@code origin_ms}: a domain origin added (only its domain's selections recomputed).
 * Ends with {@code RESULT paths update_ms=<n> full_ms=<n> origin_ms=<n>}.
 */
@Command(name = "paths", mixinStandardHelpOptions = true,
        description = "Path selection time on a full probe mesh: one change, and a full recompute.")
public final class PathsBenchmark implements Callable<Integer> {
    private static final Clock CLOCK = Clock.systemUTC();

    @Option(names = "--regions", defaultValue = "100", description = "Regions (default ${DEFAULT-VALUE}).")
    private int regions;
    @Option(names = "--nodes-per-region", defaultValue = "10", description = "Nodes per region (default ${DEFAULT-VALUE}).")
    private int perRegion;
    @Option(names = "--updates", defaultValue = "20", description = "Changed links measured (default ${DEFAULT-VALUE}).")
    private int updates;

    @Override
    public Integer call() {
        final Random random = new Random(42);
        final Map<String, String> regionByNode = new HashMap<>();
        final List<String> nodes = new ArrayList<>();
        for (int r = 0; r < regions; r++) {
            for (int n = 0; n < perRegion; n++) {
                final String node = String.format("r%03d-n%02d", r, n);
                nodes.add(node);
                regionByNode.put(node, String.format("region-%03d", r));
            }
        }
        final String origin = "203.0.113.10";
        final List<NetworkMetric> links = new ArrayList<>(nodes.size() * nodes.size());
        final Map<String, NodeCpuStats> cpu = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (int j = 0; j < nodes.size(); j++) {
                if (i != j) {
                    links.add(link(nodes.get(i), nodes.get(j), null, latency(i, j, random)));
                }
            }
            links.add(link(nodes.get(i), null, origin, latency(i, nodes.size(), random)));
            cpu.put(nodes.get(i), NodeCpuStats.newBuilder().setMetadata(EventMetadatas.newMetadata("bench", CLOCK))
                    .setNodeId(nodes.get(i)).setIp("10.0.0.1").setCpuMean(random.nextDouble() * 100).setCpuVariance(0)
                    .setLogicalCores(2).setUpdatedAt(Instant.now()).build());
        }
        final Map<String, DomainOrigin> origins = Map.of("example.com", DomainOrigin.newBuilder().setMetadata(EventMetadatas.newMetadata("bench", CLOCK)).setDomain("example.com")
                .setOriginIp(origin).build());
        System.out.printf("paths: %d nodes in %d regions, %d links%n", nodes.size(), regions, links.size());
        final IncrementalPaths engine = new IncrementalPaths(RoutingPolicy.defaults(), CLOCK);
        final long fullStart = System.nanoTime();
        final int selections = engine.full(new IncrementalPaths.Snapshot(links, regionByNode, origins, cpu,
                key -> null), System.currentTimeMillis()).size();
        final double fullMs = (System.nanoTime() - fullStart) / 1e6;
        System.out.printf("paths: %d selections in %.0f ms%n", selections, fullMs);
        final IncrementalPaths.Snapshot unchanged = new IncrementalPaths.Snapshot(List.of(), regionByNode, origins, cpu,
                key -> null);
        final double[] millis = timeUpdates(engine, unchanged, links, random, 0.8, 1.2, updates);
        final double[] drastic = timeUpdates(engine, unchanged, links, random, 0.1, 0.1, Math.max(1, updates / 4));
        System.out.printf("paths: probe-like update min %.0f / median %.0f / max %.0f ms; 10x-faster link median %.0f ms%n",
                millis[0], millis[updates / 2], millis[updates - 1], drastic[drastic.length / 2]);
        // An operator maps a second domain to the origin: only that domain's selections are computed.
        final DomainOrigin second = DomainOrigin.newBuilder().setMetadata(EventMetadatas.newMetadata("bench", CLOCK))
                .setDomain("b.example.com").setOriginIp(origin).build();
        final long originStart = System.nanoTime();
        engine.originChanged("b.example.com", second, unchanged, System.currentTimeMillis());
        final double originMs = (System.nanoTime() - originStart) / 1e6;
        System.out.printf("paths: a new domain's selections in %.0f ms%n", originMs);
        System.out.printf("RESULT paths update_ms=%.0f full_ms=%.0f origin_ms=%.0f%n", millis[updates / 2], fullMs,
                originMs);
        return 0;
    }

    /** Times {@code count} single-link updates, each scaling a random existing link's latency by [low, high]. */
    private static double[] timeUpdates(final IncrementalPaths engine, final IncrementalPaths.Snapshot unchanged,
                                        final List<NetworkMetric> links, final Random random, final double low,
                                        final double high, final int count) {
        final double[] millis = new double[count];
        for (int u = 0; u < count; u++) {
            final int which = random.nextInt(links.size());
            final NetworkMetric old = links.get(which);
            final double latency = old.getLinkLatencyMs() * (low + random.nextDouble() * (high - low));
            final NetworkMetric changed = link(old.getSourceNodeId(), old.getDestinationNodeId(),
                    old.getDestinationNodeId() == null ? old.getDestinationIp() : null, latency);
            links.set(which, changed);
            final String to = old.getDestinationNodeId() != null ? old.getDestinationNodeId() : old.getDestinationIp();
            final long start = System.nanoTime();
            engine.update(old.getSourceNodeId(), to, changed, unchanged, System.currentTimeMillis());
            millis[u] = (System.nanoTime() - start) / 1e6;
        }
        java.util.Arrays.sort(millis);
        return millis;
    }

    /** Regions sit on a line: latency grows with the distance between their indexes, plus jitter. */
    private double latency(final int from, final int to, final Random random) {
        return 2 + 0.8 * Math.abs(from / perRegion - to / perRegion) + random.nextDouble() * 3;
    }

    private static NetworkMetric link(final String from, final String toNode, final String toIp, final double latency) {
        return NetworkMetric.newBuilder().setMetadata(EventMetadatas.newMetadata("bench", CLOCK)).setSourceIp("10.0.0.1")
                .setDestinationIp(toIp != null ? toIp : "10.0.0.2").setSourceNodeId(from).setDestinationNodeId(toNode)
                .setLinkLatencyMs(latency).setCpuMean(0).setCpuVariance(0).setVirtualQueueCpuMean(0)
                .setVirtualQueueCpuVariance(0).setLinkScore(latency).setUpdatedAt(Instant.now()).build();
    }
}
