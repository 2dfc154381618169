package dev.arcturus.paths;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.FlowPath;
import dev.arcturus.avro.GlobalConfig;
import dev.arcturus.avro.NetworkMetric;
import dev.arcturus.avro.NodeCpuStats;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.PathSelection;
import dev.arcturus.avro.RoutedPath;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.streams.ProcessorClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single task that computes path selections (it owns the one partition of {@code config.global.v1}, which also
 * carries the routing policy). Links, nodes and origins come from global stores; whenever they or the policy change,
 * the next tick recomputes, for every (region, domain), the k best paths from the region's nodes to the domain's
 * origin, and publishes the selections that changed.
 */
final class PathSelectionProcessor implements Processor<String, GlobalConfig, String, PathSelection> {
    private static final Logger log = LoggerFactory.getLogger(PathSelectionProcessor.class);
    /** Capacity of a link whose destination's spare capacity is unknown (an origin): large, so never the limit. */
    private static final double UNMEASURED_CAPACITY = 1_000_000;

    private final AtomicLong graphVersion;
    private final Duration tick;
    private ProcessorContext<String, PathSelection> context;
    private KeyValueStore<String, NetworkMetric> links;
    private KeyValueStore<String, NodeRegistration> nodes;
    private KeyValueStore<String, DomainOrigin> origins;
    private KeyValueStore<String, NodeCpuStats> cpu;
    private KeyValueStore<String, Double> queues;
    private ProcessorClock clock;
    private RoutingPolicy policy = RoutingPolicy.defaults();
    private long computedVersion = -1;
    private boolean policyChanged = true;
    /** What was last published per key (paths and weights), so only changes go out. */
    private final Map<String, List<Object>> published = new HashMap<>();

    PathSelectionProcessor(final AtomicLong graphVersion, final Duration tick) {
        this.graphVersion = graphVersion;
        this.tick = tick;
    }

    @Override
    public void init(final ProcessorContext<String, PathSelection> context) {
        this.context = context;
        this.links = context.getStateStore(PathSelectionTopology.LINKS_STORE);
        this.nodes = context.getStateStore(PathSelectionTopology.NODES_STORE);
        this.origins = context.getStateStore(PathSelectionTopology.ORIGINS_STORE);
        this.cpu = context.getStateStore(PathSelectionTopology.CPU_STORE);
        this.queues = context.getStateStore(PathSelectionTopology.QUEUE_STORE);
        this.clock = new ProcessorClock(context);
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::recomputeIfChanged);
    }

    @Override
    public void process(final Record<String, GlobalConfig> record) {
        if (record.value() == null) {
            return;
        }
        final RoutingPolicy next = policy.with(record.value().getSettings());
        if (!next.equals(policy)) {
            log.info("Routing policy {} -> {}", policy, next);
            policy = next;
            policyChanged = true;
        }
    }

    private void recomputeIfChanged(final long now) {
        final long version = graphVersion.get();
        if (version == computedVersion && !policyChanged) {
            return;
        }
        final long started = System.nanoTime();
        computedVersion = version;
        policyChanged = false;
        final Map<String, PathSelection> selections = compute(now);
        for (final Map.Entry<String, PathSelection> entry : selections.entrySet()) {
            final List<Object> content = List.of(entry.getValue().getPaths(), entry.getValue().getLastMileWeights(),
                    entry.getValue().getMultipath());
            if (!content.equals(published.get(entry.getKey()))) {
                published.put(entry.getKey(), content);
                context.forward(new Record<>(entry.getKey(), entry.getValue(), now));
            }
        }
        for (final String gone : new HashSet<>(published.keySet())) {
            if (!selections.containsKey(gone)) {
                published.remove(gone);
                context.forward(new Record<>(gone, null, now));
            }
        }
        log.debug("Paths recomputed in {} ms ({} selections)", (System.nanoTime() - started) / 1_000_000,
                selections.size());
    }

    private Map<String, PathSelection> compute(final long now) {
        final Map<String, List<KShortestPaths.Link>> graph = new HashMap<>();
        final Map<String, Double> latency = new HashMap<>();
        final List<CarouselGreedy.Edge> flowEdges = new ArrayList<>();
        try (KeyValueIterator<String, NetworkMetric> all = links.all()) {
            all.forEachRemaining(kv -> {
                final NetworkMetric m = kv.value;
                final String from = m.getSourceNodeId();
                final String to = m.getDestinationNodeId() != null ? m.getDestinationNodeId() : m.getDestinationIp();
                final double score = m.getLinkScore() != null ? m.getLinkScore() : m.getLinkLatencyMs();
                graph.computeIfAbsent(from, x -> new ArrayList<>())
                        .add(new KShortestPaths.Link(to, Math.max(RoutingPolicy.SCORE_FLOOR, score)));
                latency.put(from + "|" + to, m.getLinkLatencyMs());
                // A link into a node can carry what that node has spare; the origin's capacity is not measured.
                flowEdges.add(new CarouselGreedy.Edge(from, to, m.getCapacity() != null ? m.getCapacity()
                        : UNMEASURED_CAPACITY, m.getLinkLatencyMs()));
            });
        }
        final Map<String, List<String>> regions = new HashMap<>();
        try (KeyValueIterator<String, NodeRegistration> all = nodes.all()) {
            all.forEachRemaining(kv -> regions.computeIfAbsent(kv.value.getRegion(), r -> new ArrayList<>()).add(kv.key));
        }
        final KShortestPaths yen = new KShortestPaths(graph, policy.hopThreshold(), policy.hopPenalty());
        final Map<String, PathSelection> selections = new HashMap<>();
        try (KeyValueIterator<String, DomainOrigin> all = origins.all()) {
            all.forEachRemaining(kv -> regions.forEach((region, members) -> {
                final List<KShortestPaths.Path> candidates = new ArrayList<>();
                for (final String node : members) {
                    candidates.addAll(yen.best(node, kv.value.getOriginIp(), policy.k()));
                }
                if (candidates.isEmpty()) {
                    return;
                }
                candidates.sort(Comparator.comparingDouble(KShortestPaths.Path::cost)
                        .thenComparing(p -> String.join(",", p.nodes())));
                final List<RoutedPath> paths = candidates.stream().limit(policy.k())
                        .map(p -> new RoutedPath(p.nodes(), p.cost(), latencyOf(p.nodes(), latency))).toList();
                selections.put(region + "|" + kv.key, PathSelection.newBuilder()
                        .setMetadata(EventMetadatas.newMetadata("path-selection", clock))
                        .setSourceRegion(region).setDomain(kv.key).setOriginIp(kv.value.getOriginIp())
                        .setPaths(paths).setLastMileWeights(lastMile(kv.key, region, members,
                                kv.value.getOriginIp(), latency))
                        .setAlgorithm(policy.algorithm())
                        .setMultipath(multipath(flowEdges, region, members, kv.value.getOriginIp()))
                        .setComputedAt(Instant.ofEpochMilli(now)).build());
            }));
        }
        return selections;
    }

    /** With the carousel algorithm: the region's multipath split to the origin (from a virtual source). */
    private List<FlowPath> multipath(final List<CarouselGreedy.Edge> edges, final String region,
                                     final List<String> members, final String originIp) {
        if (!RoutingPolicy.CAROUSEL.equals(policy.algorithm())) {
            return List.of();
        }
        final String source = "\u0000region:" + region;
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
     * The region's request split for the domain ({@link LastMileSplit}) over the nodes with fresh measurements (CPU
     * stats and a latency to the origin): a node without them is left out, never guessed. Updates the queues.
     */
    private Map<String, Double> lastMile(final String domain, final String region, final List<String> members,
                                         final String originIp, final Map<String, Double> latency) {
        final List<LastMileSplit.Candidate> candidates = new ArrayList<>();
        for (final String node : members) {
            final NodeCpuStats stats = cpu.get(node);
            final Double delay = latency.get(node + "|" + originIp);
            if (stats != null && delay != null) {
                final Double queue = queues.get(domain + "|" + region + "|" + node);
                candidates.add(new LastMileSplit.Candidate(node, stats.getCpuMean(), Math.max(1, stats.getLogicalCores()),
                        delay, queue == null ? 0 : queue));
            }
        }
        final LastMileSplit.Result split = LastMileSplit.split(candidates, policy.lastMileRequests(),
                policy.redistribution());
        split.queues().forEach((node, queue) -> queues.put(domain + "|" + region + "|" + node, queue));
        final Map<String, Double> weights = new java.util.TreeMap<>();
        split.requests().forEach((node, requests) -> weights.put(node, (double) requests));
        return weights;
    }

    private static double latencyOf(final List<String> hops, final Map<String, Double> latency) {
        double sum = 0;
        for (int i = 0; i + 1 < hops.size(); i++) {
            sum += latency.getOrDefault(hops.get(i) + "|" + hops.get(i + 1), 0.0);
        }
        return sum;
    }

}
