package dev.arcturus.network;

import dev.arcturus.avro.LinkState;
import dev.arcturus.avro.NetworkMetric;
import dev.arcturus.avro.NodeCpuStats;
import dev.arcturus.avro.ProbeOutcome;
import dev.arcturus.avro.ProbeSample;
import dev.arcturus.avro.RegionProbe;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.streams.ProcessorClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per ordered pair (prober → target), keyed by the prober: collects probe samples and, once per assessment cycle on
 * the wall clock, publishes the pair's {@code network_metrics} row. Each pair lives in exactly one task, and the cycle
 * number is stored with the queues, so the virtual queues move exactly once per cycle (the seed moved them twice).
 */
final class LinkProcessor implements Processor<String, RegionProbe, String, NetworkMetric> {
    private static final Logger log = LoggerFactory.getLogger(LinkProcessor.class);

    private final NetworkMetricsPolicy policy;
    private ProcessorContext<String, NetworkMetric> context;
    /** The CPU population of the last cycle (an immediate publication between cycles scores against it). */
    private Fleet fleet;
    private KeyValueStore<String, LinkState> links;
    private KeyValueStore<String, NodeCpuStats> cpuStats;
    private ProcessorClock clock;

    LinkProcessor(final NetworkMetricsPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void init(final ProcessorContext<String, NetworkMetric> context) {
        this.context = context;
        this.links = context.getStateStore(NetworkMetricsTopology.LINK_STORE);
        this.cpuStats = context.getStateStore(NetworkMetricsTopology.CPU_STATS_GLOBAL_STORE);
        this.clock = new ProcessorClock(context);
        context.schedule(policy.cycle(), PunctuationType.WALL_CLOCK_TIME, this::assess);
    }

    @Override
    public void process(final Record<String, RegionProbe> record) {
        final RegionProbe probe = record.value();
        if (probe == null) {
            return;
        }
        final String key = pairKey(probe.getSourceNodeId(), target(probe.getTargetNodeId(), probe.getTargetIp()));
        final LinkState existing = links.get(key);
        final LinkState link = existing != null ? existing : LinkState.newBuilder()
                .setSourceNodeId(probe.getSourceNodeId()).setSourceIp(probe.getSourceIp())
                .setTargetNodeId(probe.getTargetNodeId()).setTargetIp(probe.getTargetIp())
                .setRttMicros(new ArrayList<>()).setLastProbeAt(probe.getProbeTime()).build();
        final List<Long> rtts = new ArrayList<>(link.getRttMicros());
        int lost = link.getLost();
        for (final ProbeSample sample : probe.getSamples()) {
            if (sample.getOutcome() == ProbeOutcome.CONNECTED && sample.getRttMicros() != null) {
                rtts.add(sample.getRttMicros());
            } else {
                lost++;
            }
        }
        while (rtts.size() > policy.keptSamples()) {
            rtts.remove(0);
        }
        link.setRttMicros(rtts);
        link.setSent(link.getSent() + probe.getSamples().size());
        link.setLost(lost);
        link.setLastProbeAt(Instant.ofEpochMilli(context.currentSystemTimeMs()));
        if (!rtts.isEmpty() && movedEnough(link)) {
            // A new link, or one whose latency moved: published now, so paths follow the probe within a second.
            // Scored against the queues as they stand and the last cycle's CPU population; the queues still move
            // only in the cycle.
            if (fleet == null) {
                fleet = Fleet.snapshot(cpuStats);
            }
            context.forward(new Record<>(key, metric(link, fleet, context.currentSystemTimeMs(), false),
                    context.currentSystemTimeMs()));
        }
        links.put(key, link);
    }

    private boolean movedEnough(final LinkState link) {
        final double published = link.getPublishedLatencyMs();
        if (published < 0) {
            return true;
        }
        final double now = LinkScoring.robustLatencyMs(link.getRttMicros());
        return Math.abs(now - published) > policy.republishShare() * published;
    }

    /** One assessment cycle over this task's links, against one snapshot of the fleet's CPU population. */
    private void assess(final long now) {
        final long cycle = now / policy.cycle().toMillis();
        fleet = Fleet.snapshot(cpuStats);
        final List<KeyValue<String, LinkState>> all = new ArrayList<>();
        try (KeyValueIterator<String, LinkState> iterator = links.all()) {
            iterator.forEachRemaining(all::add);
        }
        for (final KeyValue<String, LinkState> entry : all) {
            final LinkState link = entry.value;
            if (now - link.getLastProbeAt().toEpochMilli() > policy.staleAfter().toMillis()) {
                links.delete(entry.key); // no fresh samples: the link is gone, not reused for ever
                context.forward(new Record<>(entry.key, null, now));
                log.info("Link {} dropped: no probe round since {}", entry.key, link.getLastProbeAt());
                continue;
            }
            if (link.getLastCycle() >= cycle || link.getRttMicros().isEmpty()) {
                continue;
            }
            link.setLastCycle(cycle);
            context.forward(new Record<>(entry.key, metric(link, fleet, now, true), now));
            links.put(entry.key, link);
        }
    }

    /**
     * The link's metric, scored with the virtual queues before this cycle's update; {@code cycleEnd} moves the queues
     * and starts a new loss count (once per cycle), an immediate publication leaves both as they are.
     */
    private NetworkMetric metric(final LinkState link, final Fleet fleet, final long now, final boolean cycleEnd) {
        final double delay = LinkScoring.robustLatencyMs(link.getRttMicros());
        final NodeCpuStats destination = link.getTargetNodeId() == null ? null : fleet.stats(link.getTargetNodeId());
        final double queueMean = link.getQueueCpuMean();
        final double queueVariance = link.getQueueCpuVariance();
        double score = LinkScoring.W * delay; // an origin server, or a node with no CPU samples yet: delay only
        if (destination != null) {
            final double rankMean = fleet.means().rank(destination.getCpuMean());
            final double rankVariance = fleet.variances().rank(destination.getCpuVariance());
            score = LinkScoring.score(delay, queueMean, rankMean, queueVariance, rankVariance);
            if (cycleEnd) {
                link.setQueueCpuMean(LinkScoring.nextQueue(queueMean, rankMean));
                link.setQueueCpuVariance(LinkScoring.nextQueue(queueVariance, rankVariance));
            }
        }
        final double lossRatio = link.getSent() == 0 ? 0 : (double) link.getLost() / link.getSent();
        link.setPublishedLatencyMs(delay);
        if (cycleEnd) {
            link.setSent(0);
            link.setLost(0);
        }
        return NetworkMetric.newBuilder()
                .setMetadata(EventMetadatas.newMetadata("network-metrics", clock))
                .setSourceIp(link.getSourceIp()).setDestinationIp(link.getTargetIp())
                .setSourceNodeId(link.getSourceNodeId()).setDestinationNodeId(link.getTargetNodeId())
                .setLinkLatencyMs(delay)
                .setCpuMean(destination == null ? 0 : destination.getCpuMean())
                .setCpuVariance(destination == null ? 0 : destination.getCpuVariance())
                .setVirtualQueueCpuMean(link.getQueueCpuMean())
                .setVirtualQueueCpuVariance(link.getQueueCpuVariance())
                .setCapacity(destination == null ? null : destination.getCapacity())
                .setLinkScore(score)
                .setLossRatio(lossRatio)
                .setJitterMs(jitter(link.getRttMicros()))
                .setUpdatedAt(Instant.ofEpochMilli(now))
                .build();
    }

    /** Over the kept samples, in the order they arrived (ProbeJitter); null with fewer than two. */
    private static Double jitter(final List<Long> rttMicros) {
        final java.util.OptionalDouble micros = dev.arcturus.probes.ProbeJitter.micros(rttMicros);
        return micros.isPresent() ? micros.getAsDouble() / 1000.0 : null;
    }

    static String pairKey(final String source, final String target) {
        return source + "|" + target;
    }

    private static String target(final String nodeId, final String ip) {
        return nodeId != null ? nodeId : ip;
    }

    /** The whole fleet's CPU statistics (from the global store), split for ranking. */
    private record Fleet(java.util.Map<String, NodeCpuStats> byNode, LinkScoring.Population means,
                         LinkScoring.Population variances) {
        static Fleet snapshot(final KeyValueStore<String, NodeCpuStats> store) {
            final java.util.Map<String, NodeCpuStats> byNode = new java.util.HashMap<>();
            try (KeyValueIterator<String, NodeCpuStats> all = store.all()) {
                all.forEachRemaining(kv -> byNode.put(kv.key, kv.value));
            }
            final double[] means = byNode.values().stream().mapToDouble(NodeCpuStats::getCpuMean).toArray();
            final double[] variances = byNode.values().stream().mapToDouble(NodeCpuStats::getCpuVariance).toArray();
            return new Fleet(byNode, LinkScoring.Population.of(means, LinkScoring.THRESHOLD_MEAN),
                    LinkScoring.Population.of(variances, LinkScoring.THRESHOLD_VARIANCE));
        }

        NodeCpuStats stats(final String nodeId) {
            return byNode.get(nodeId);
        }
    }
}
