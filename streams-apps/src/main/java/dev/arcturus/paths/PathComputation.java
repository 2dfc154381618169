package dev.arcturus.paths;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.FlowPath;
import dev.arcturus.avro.NetworkMetric;
import dev.arcturus.avro.NodeCpuStats;
import dev.arcturus.avro.PathSelection;
import dev.arcturus.avro.RoutedPath;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.serde.GeneratedClassTrust;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every path selection from one snapshot of the plane, as a pure function (the app's processor feeds it from its
 * stores; the benchmark feeds it directly):
 * <ul>
 *   <li>{@code node:<node>|<domain>} — the k best paths from each node to each domain's origin;</li>
 *   <li>{@code <region>|<domain>} — the k best of those over the region's nodes, the last-mile split
 *       ({@link LastMileSplit}) and, with the carousel policy, a multipath split ({@link CarouselGreedy});</li>
 *   <li>{@code <region>|region:<region2>} — the k best paths from any node of one region to any node of another.</li>
 * </ul>
 * Paths are ranked by link scores (floored at {@link RoutingPolicy#SCORE_FLOOR}) plus the hop penalty.
 */
public final class PathComputation {
    /** Capacity of a link whose destination's spare capacity is unknown (an origin): large, so never the limit. */
    static final double UNMEASURED_CAPACITY = 1_000_000;
    private static final String VIRTUAL = "\u0000";

    /** What the computation reads. {@code queue} gives a last-mile queue by {@code <domain>|<region>|<node>}. */
    public record Snapshot(List<NetworkMetric> links, Map<String, String> regionByNode, Map<String, DomainOrigin> origins,
                           Map<String, NodeCpuStats> cpu, Function<String, Double> queue) {
    }

    /** The selections by key, and the last-mile queues to store. */
    public record Result(Map<String, PathSelection> selections, Map<String, Double> queues) {
    }

    private final RoutingPolicy policy;
    private final Clock clock;

    public PathComputation(final RoutingPolicy policy, final Clock clock) {
        GeneratedClassTrust.ensureInstalled(); // building records with nested types loads their classes
        this.policy = policy;
        this.clock = clock;
    }

    public Result compute(final Snapshot snapshot, final long now) {
        final Map<String, List<KShortestPaths.Link>> graph = new HashMap<>();
        final Map<String, Double> latency = new HashMap<>();
        final List<CarouselGreedy.Edge> flowEdges = new ArrayList<>();
        for (final NetworkMetric m : snapshot.links()) {
            final String from = m.getSourceNodeId();
            final String to = m.getDestinationNodeId() != null ? m.getDestinationNodeId() : m.getDestinationIp();
            final double score = m.getLinkScore() != null ? m.getLinkScore() : m.getLinkLatencyMs();
            graph.computeIfAbsent(from, x -> new ArrayList<>())
                    .add(new KShortestPaths.Link(to, Math.max(RoutingPolicy.SCORE_FLOOR, score)));
            latency.put(from + "|" + to, m.getLinkLatencyMs());
            // A link into a node can carry what that node has spare; the origin's capacity is not measured.
            flowEdges.add(new CarouselGreedy.Edge(from, to, m.getCapacity() != null ? m.getCapacity()
                    : UNMEASURED_CAPACITY, m.getLinkLatencyMs()));
        }
        final Map<String, List<String>> regions = new TreeMap<>();
        snapshot.regionByNode().forEach((node, region) ->
                regions.computeIfAbsent(region, r -> new ArrayList<>()).add(node));
        regions.values().forEach(members -> members.sort(Comparator.naturalOrder()));
        final KShortestPaths yen = new KShortestPaths(graph, policy.hopThreshold(), policy.hopPenalty());
        final Map<String, PathSelection> selections = new HashMap<>();
        final Map<String, Double> queues = new HashMap<>();
        for (final Map.Entry<String, DomainOrigin> origin : new TreeMap<>(snapshot.origins()).entrySet()) {
            final String domain = origin.getKey();
            final String originIp = origin.getValue().getOriginIp();
            for (final Map.Entry<String, List<String>> region : regions.entrySet()) {
                final List<KShortestPaths.Path> candidates = new ArrayList<>();
                for (final String node : region.getValue()) {
                    final List<KShortestPaths.Path> fromNode = yen.best(node, originIp, policy.k());
                    if (!fromNode.isEmpty()) {
                        selections.put("node:" + node + "|" + domain, selection(region.getKey(), domain, originIp,
                                "NODE_TO_DOMAIN", now).setSourceNodeId(node)
                                .setPaths(routed(fromNode, latency)).build());
                    }
                    candidates.addAll(fromNode);
                }
                if (candidates.isEmpty()) {
                    continue;
                }
                final LastMileSplit.Result split = lastMile(snapshot, domain, region.getKey(), region.getValue(),
                        originIp, latency);
                queues.putAll(split.queues().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                        e -> domain + "|" + region.getKey() + "|" + e.getKey(), Map.Entry::getValue)));
                final Map<String, Double> weights = new TreeMap<>();
                split.requests().forEach((node, requests) -> weights.put(node, (double) requests));
                selections.put(region.getKey() + "|" + domain, selection(region.getKey(), domain, originIp,
                        "REGION_TO_DOMAIN", now).setPaths(routed(best(candidates), latency))
                        .setLastMileWeights(weights).setAlgorithm(policy.algorithm())
                        .setMultipath(multipath(flowEdges, region.getKey(), region.getValue(), originIp)).build());
            }
        }
        regionPairs(graph, regions, latency, now, selections);
        return new Result(selections, queues);
    }

    /**
     * For each ordered pair of regions, Yen's search from a virtual node joined to every node of the first region to
     * a virtual node joined from every node of the second: the k best paths between the regions in one search each.
     */
    private void regionPairs(final Map<String, List<KShortestPaths.Link>> graph, final Map<String, List<String>> regions,
                             final Map<String, Double> latency, final long now, final Map<String, PathSelection> out) {
        for (final Map.Entry<String, List<String>> to : regions.entrySet()) {
            final String sink = VIRTUAL + "to:" + to.getKey();
            final Map<String, List<KShortestPaths.Link>> toRegion = new HashMap<>(graph);
            for (final String node : to.getValue()) {
                final List<KShortestPaths.Link> links = new ArrayList<>(graph.getOrDefault(node, List.of()));
                links.add(new KShortestPaths.Link(sink, RoutingPolicy.SCORE_FLOOR));
                toRegion.put(node, links);
            }
            for (final Map.Entry<String, List<String>> from : regions.entrySet()) {
                if (from.getKey().equals(to.getKey())) {
                    continue;
                }
                final String source = VIRTUAL + "from:" + from.getKey();
                final Map<String, List<KShortestPaths.Link>> pair = new HashMap<>(toRegion);
                pair.put(source, from.getValue().stream()
                        .map(node -> new KShortestPaths.Link(node, RoutingPolicy.SCORE_FLOOR)).toList());
                // The two virtual hops don't count towards the hop penalty, and their floor scores are removed.
                final List<KShortestPaths.Path> found = new KShortestPaths(pair, policy.hopThreshold() + 2,
                        policy.hopPenalty()).best(source, sink, policy.k());
                if (found.isEmpty()) {
                    continue;
                }
                final List<RoutedPath> paths = found.stream().map(p -> {
                    final List<String> hops = p.nodes().subList(1, p.nodes().size() - 1);
                    return new RoutedPath(hops, p.cost() - 2 * RoutingPolicy.SCORE_FLOOR, latencyOf(hops, latency));
                }).toList();
                out.put(from.getKey() + "|region:" + to.getKey(), selection(from.getKey(), "", "", "REGION_TO_REGION",
                        now).setDestinationRegion(to.getKey()).setPaths(paths).build());
            }
        }
    }

    private List<KShortestPaths.Path> best(final List<KShortestPaths.Path> candidates) {
        candidates.sort(Comparator.comparingDouble(KShortestPaths.Path::cost)
                .thenComparing(p -> String.join(",", p.nodes())));
        return candidates.stream().limit(policy.k()).toList();
    }

    private PathSelection.Builder selection(final String region, final String domain, final String originIp,
                                            final String kind, final long now) {
        return PathSelection.newBuilder().setMetadata(EventMetadatas.newMetadata("path-selection", clock))
                .setSourceRegion(region).setDomain(domain).setOriginIp(originIp).setKind(kind)
                .setComputedAt(Instant.ofEpochMilli(now));
    }

    private static List<RoutedPath> routed(final List<KShortestPaths.Path> paths, final Map<String, Double> latency) {
        return paths.stream().map(p -> new RoutedPath(p.nodes(), p.cost(), latencyOf(p.nodes(), latency))).toList();
    }

    /** With the carousel algorithm: the region's multipath split to the origin (from a virtual source). */
    private List<FlowPath> multipath(final List<CarouselGreedy.Edge> edges, final String region,
                                     final List<String> members, final String originIp) {
        if (!RoutingPolicy.CAROUSEL.equals(policy.algorithm())) {
            return List.of();
        }
        final String source = VIRTUAL + "region:" + region;
        final List<CarouselGreedy.Edge> withSource = new ArrayList<>(edges);
        for (final String node : members) {
            withSource.add(new CarouselGreedy.Edge(source, node, UNMEASURED_CAPACITY * 1000, 0));
        }
        final CarouselGreedy solver = new CarouselGreedy(withSource, new CarouselGreedy.Limits(policy.thetaA(),
                policy.thetaL(), policy.maxEdgeUsage(), 2, 2, 8));
        return solver.solve(source, originIp).stream().map(p -> new FlowPath(p.nodes().subList(1, p.nodes().size()),
                p.flow(), p.latency())).toList();
    }

    /**
     * The region's request split for the domain over the nodes with fresh measurements (CPU stats and a latency to
     * the origin): a node without them is left out, never guessed.
     */
    private LastMileSplit.Result lastMile(final Snapshot snapshot, final String domain, final String region,
                                          final List<String> members, final String originIp,
                                          final Map<String, Double> latency) {
        final List<LastMileSplit.Candidate> candidates = new ArrayList<>();
        for (final String node : members) {
            final NodeCpuStats stats = snapshot.cpu().get(node);
            final Double delay = latency.get(node + "|" + originIp);
            if (stats != null && delay != null) {
                final Double queue = snapshot.queue().apply(domain + "|" + region + "|" + node);
                candidates.add(new LastMileSplit.Candidate(node, stats.getCpuMean(),
                        Math.max(1, stats.getLogicalCores()), delay, queue == null ? 0 : queue));
            }
        }
        return LastMileSplit.split(candidates, policy.lastMileRequests(), policy.redistribution());
    }

    static double latencyOf(final List<String> hops, final Map<String, Double> latency) {
        double sum = 0;
        for (int i = 0; i + 1 < hops.size(); i++) {
            sum += latency.getOrDefault(hops.get(i) + "|" + hops.get(i + 1), 0.0);
        }
        return sum;
    }
}
