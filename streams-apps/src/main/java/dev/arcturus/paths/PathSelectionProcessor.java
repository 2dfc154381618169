package dev.arcturus.paths;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.GlobalConfig;
import dev.arcturus.avro.NetworkMetric;
import dev.arcturus.avro.NodeCpuStats;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.PathSelection;
import dev.arcturus.streams.ProcessorClock;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * carries the routing policy). Links, nodes, origins and CPU stats come from global stores; whenever they or the
 * policy change, the next tick brings the selections up to date ({@link IncrementalPaths}) and publishes the ones
 * that changed; the last-mile queues go to a changelogged store, so a restart does not forget them.
 */
final class PathSelectionProcessor implements Processor<String, GlobalConfig, String, PathSelection> {
    private static final Logger log = LoggerFactory.getLogger(PathSelectionProcessor.class);

    /** More link changes than this in one tick: a full recompute is cheaper than one update each. */
    static final int MAX_INCREMENTAL_CHANGES = 500;

    private final PathInputChanges changes;
    private final Duration tick;
    private ProcessorContext<String, PathSelection> context;
    private KeyValueStore<String, NetworkMetric> links;
    private KeyValueStore<String, NodeRegistration> nodes;
    private KeyValueStore<String, DomainOrigin> origins;
    private KeyValueStore<String, NodeCpuStats> cpu;
    private KeyValueStore<String, Double> queues;
    private ProcessorClock clock;
    private RoutingPolicy policy = RoutingPolicy.defaults();
    private long structureSeen = -1;
    private long cpuSeen = -1;
    private boolean policyChanged = true;
    private IncrementalPaths engine;
    /** What was last published per key (paths, weights, multipath), so only changes go out. */
    private final Map<String, List<Object>> published = new HashMap<>();

    PathSelectionProcessor(final PathInputChanges changes, final Duration tick) {
        this.changes = changes;
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

    /**
     * A node or policy change, or a node's first link, recomputes everything; otherwise each changed origin
     * recomputes its domain's selections and each changed link only the selections it can affect
     * ({@link IncrementalPaths}); CPU-only changes refresh the last-mile splits.
     */
    private void recomputeIfChanged(final long now) {
        final long structure = changes.structure.get();
        final long cpuVersion = changes.cpu.get();
        final boolean linksMoved = !changes.links.isEmpty();
        final boolean originsMoved = !changes.origins.isEmpty();
        if (structure == structureSeen && cpuVersion == cpuSeen && !linksMoved && !originsMoved && !policyChanged) {
            return;
        }
        final java.util.Set<String> originChanges = new java.util.TreeSet<>();
        for (String domain; (domain = changes.origins.poll()) != null; ) {
            originChanges.add(domain);
        }
        final long started = System.nanoTime();
        final List<PathInputChanges.LinkChange> linkChanges = new ArrayList<>();
        for (PathInputChanges.LinkChange change; (change = changes.links.poll()) != null; ) {
            linkChanges.add(change);
        }
        final Map<String, PathSelection> selections;
        final String how;
        final String kind;
        if (engine == null || policyChanged || structure != structureSeen
                || linkChanges.size() > MAX_INCREMENTAL_CHANGES || joinsGraph(linkChanges)) {
            engine = new IncrementalPaths(policy, clock);
            selections = engine.full(snapshot(true), now);
            how = "full";
            kind = "full";
        } else if (!linkChanges.isEmpty() || !originChanges.isEmpty()) {
            final IncrementalPaths.Snapshot snapshot = snapshot(false);
            for (final String domain : originChanges) {
                engine.originChanged(domain, origins.get(domain), snapshot, now);
            }
            for (final PathInputChanges.LinkChange change : linkChanges) {
                engine.update(change.from(), change.to(), change.metric(), snapshot, now);
            }
            selections = engine.selections();
            how = linkChanges.size() + " link change(s), " + originChanges.size() + " origin change(s)";
            kind = originChanges.isEmpty() ? "links" : "origins";
        } else {
            selections = engine.refreshRegions(snapshot(false), now);
            how = "CPU";
            kind = "cpu";
        }
        structureSeen = structure;
        cpuSeen = cpuVersion;
        policyChanged = false;
        engine.queues().forEach(queues::put);
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
        final long elapsed = System.nanoTime() - started;
        Timer.builder("arcturus.paths.recompute").description("Path recompute time by kind: full, links (incremental), "
                + "origins (one domain's selections), cpu (last-mile only)").tag("kind", kind).publishPercentileHistogram()
                .register(Metrics.globalRegistry).record(elapsed, TimeUnit.NANOSECONDS);
        log.debug("Paths recomputed ({}) in {} ms ({} selections)", how, elapsed / 1_000_000, selections.size());
    }

    /** Some changed link is a node's first: one full recompute instead of a rebuild per such node. */
    private boolean joinsGraph(final List<PathInputChanges.LinkChange> linkChanges) {
        return engine != null && linkChanges.stream()
                .anyMatch(change -> change.metric() != null && engine.joinsGraph(change.from(), change.to()));
    }

    /**
     * The stores as the engine reads them. Links, nodes and origins only for a full recompute (an update brings its
     * link, and the engine keeps the rest); CPU stats always, for the last-mile splits.
     */
    private IncrementalPaths.Snapshot snapshot(final boolean full) {
        final List<NetworkMetric> metrics = new ArrayList<>();
        final Map<String, String> regionByNode = new HashMap<>();
        final Map<String, DomainOrigin> domainOrigins = new HashMap<>();
        final java.util.Set<String> nonRelays = new java.util.HashSet<>();
        if (full) {
            try (KeyValueIterator<String, NetworkMetric> all = links.all()) {
                all.forEachRemaining(kv -> metrics.add(kv.value));
            }
            try (KeyValueIterator<String, NodeRegistration> all = nodes.all()) {
                all.forEachRemaining(kv -> {
                    regionByNode.put(kv.key, kv.value.getRegion());
                    if (!relays(kv.value.getRole())) {
                        nonRelays.add(kv.key);
                    }
                });
            }
            try (KeyValueIterator<String, DomainOrigin> all = origins.all()) {
                all.forEachRemaining(kv -> domainOrigins.put(kv.key, kv.value));
            }
        }
        final Map<String, NodeCpuStats> cpuStats = new HashMap<>();
        try (KeyValueIterator<String, NodeCpuStats> all = cpu.all()) {
            all.forEachRemaining(kv -> cpuStats.put(kv.key, kv.value));
        }
        return new IncrementalPaths.Snapshot(metrics, regionByNode, domainOrigins, cpuStats, queues::get, nonRelays);
    }

    /**
     * Only proxies relay (seed 000): controllers and measurement nodes are where paths start or end. A node whose role
     * was never said (registered before roles, or a row without one) is not excluded.
     */
    static boolean relays(final dev.arcturus.avro.NodeRole role) {
        return role != dev.arcturus.avro.NodeRole.CONTROLLER && role != dev.arcturus.avro.NodeRole.MEASUREMENT;
    }
}
