package dev.arcturus.paths;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.GlobalConfig;
import dev.arcturus.avro.NetworkMetric;
import dev.arcturus.avro.NodeCpuStats;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.PathSelection;
import dev.arcturus.streams.ProcessorClock;
import java.time.Duration;
import java.util.ArrayList;
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
 * carries the routing policy). Links, nodes, origins and CPU stats come from global stores; whenever they or the
 * policy change, the next tick recomputes every selection ({@link PathComputation}) and publishes the ones that
 * changed; the last-mile queues go to a changelogged store, so a restart does not forget them.
 */
final class PathSelectionProcessor implements Processor<String, GlobalConfig, String, PathSelection> {
    private static final Logger log = LoggerFactory.getLogger(PathSelectionProcessor.class);

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
    /** What was last published per key (paths, weights, multipath), so only changes go out. */
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
        final List<NetworkMetric> metrics = new ArrayList<>();
        try (KeyValueIterator<String, NetworkMetric> all = links.all()) {
            all.forEachRemaining(kv -> metrics.add(kv.value));
        }
        final Map<String, String> regionByNode = new HashMap<>();
        try (KeyValueIterator<String, NodeRegistration> all = nodes.all()) {
            all.forEachRemaining(kv -> regionByNode.put(kv.key, kv.value.getRegion()));
        }
        final Map<String, DomainOrigin> domainOrigins = new HashMap<>();
        try (KeyValueIterator<String, DomainOrigin> all = origins.all()) {
            all.forEachRemaining(kv -> domainOrigins.put(kv.key, kv.value));
        }
        final Map<String, NodeCpuStats> cpuStats = new HashMap<>();
        try (KeyValueIterator<String, NodeCpuStats> all = cpu.all()) {
            all.forEachRemaining(kv -> cpuStats.put(kv.key, kv.value));
        }
        final PathComputation.Result result = new PathComputation(policy, clock).compute(new PathComputation.Snapshot(
                metrics, regionByNode, domainOrigins, cpuStats, queues::get), now);
        result.queues().forEach(queues::put);
        return result.selections();
    }
}
