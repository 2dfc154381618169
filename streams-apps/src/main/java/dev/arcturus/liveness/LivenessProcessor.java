package dev.arcturus.liveness;

import dev.arcturus.avro.Heartbeat;
import dev.arcturus.avro.LivenessState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.streams.ProcessorClock;
import dev.arcturus.topics.TopicCatalog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
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
 * Keeps each node's liveness from its heartbeats (UP/SUSPECT/DOWN), its telemetry (DEGRADED when system info and
 * probes stop while heartbeats go on) and a wall-clock tick, so a fleet that falls silent altogether still goes DOWN.
 *
 * <p>Heartbeats only touch memory; the tick evaluates every node, emits transitions to the compacted liveness topic
 * and flushes changed nodes to the store, so a heartbeat costs no store write. After a crash up to one tick of
 * heartbeat times is lost, which the grace period after (re)assignment absorbs.
 */
final class LivenessProcessor implements Processor<String, SpecificRecord, String, NodeLiveness> {
    private static final Logger log = LoggerFactory.getLogger(LivenessProcessor.class);
    static final String PRODUCER = "liveness";

    private final LivenessPolicy policy;
    private final Map<String, NodeTrack> nodes = new HashMap<>();
    private ProcessorContext<String, NodeLiveness> context;
    private KeyValueStore<String, NodeLiveness> store;
    private long assignedAt;
    private Clock clock;

    LivenessProcessor(final LivenessPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void init(final ProcessorContext<String, NodeLiveness> context) {
        this.context = context;
        this.store = context.getStateStore(LivenessTopology.LIVENESS_STORE);
        this.assignedAt = context.currentSystemTimeMs();
        this.clock = new ProcessorClock(context);
        try (KeyValueIterator<String, NodeLiveness> all = store.all()) {
            while (all.hasNext()) {
                final KeyValue<String, NodeLiveness> entry = all.next();
                nodes.put(entry.key, NodeTrack.from(entry.value));
            }
        }
        context.schedule(policy.tick(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(final Record<String, SpecificRecord> record) {
        final long now = context.currentSystemTimeMs();
        final String nodeId = record.key();
        if (record.value() instanceof NodeRegistration || fromRegistrations()) {
            onRegistration(nodeId, record.value() != null);
            return;
        }
        if (record.value() == null) {
            return; // event topics carry no tombstones; ignore a stray one
        }
        final NodeTrack node = nodes.computeIfAbsent(nodeId, NodeTrack::new);
        if (record.value() instanceof Heartbeat heartbeat) {
            if (node.lastActive > 0) {
                LivenessMeters.heartbeatLateness(now - node.lastActive - heartbeat.getIntervalMs());
            }
            node.lastActive = now;
        } else {
            node.lastTelemetry = now; // system info or a probe round: the node's data plane works
        }
        node.dirty = true;
        if (node.state != LivenessState.UP) {
            evaluate(node, now); // recoveries show at once, not on the next tick
        }
    }

    private boolean fromRegistrations() {
        return context.recordMetadata().map(m -> TopicCatalog.NODE_REGISTRATION.name().equals(m.topic())).orElse(false);
    }

    private void onRegistration(final String nodeId, final boolean registered) {
        if (registered) {
            nodes.computeIfAbsent(nodeId, NodeTrack::new);
        } else if (nodes.remove(nodeId) != null) {
            store.delete(nodeId);
            context.forward(new Record<>(nodeId, null, context.currentSystemTimeMs()));
        }
    }

    private void tick(final long now) {
        int flapping = 0;
        for (final NodeTrack node : new ArrayList<>(nodes.values())) {
            evaluate(node, now);
            if (node.dirty) {
                store.put(node.nodeId, toRecord(node, now));
                node.dirty = false;
            }
            if (node.flapCount(now, policy.flapWindow().toMillis()) >= policy.flapThreshold()) {
                flapping++;
            }
        }
        LivenessMeters.flapping(this, flapping);
    }

    @Override
    public void close() {
        LivenessMeters.closed(this);
    }

    private void evaluate(final NodeTrack node, final long now) {
        final LivenessState next = LivenessRules.next(node, now, assignedAt, policy);
        if (next == node.state) {
            return;
        }
        final int earlierTransitions = node.flapCount(now, policy.flapWindow().toMillis());
        log.info("Node {} liveness {} -> {} (silent {} ms, {} transitions in window)", node.nodeId, node.state, next,
                now - node.lastActive, earlierTransitions);
        LivenessMeters.transition(next, node.state == LivenessState.UNKNOWN ? 0 : earlierTransitions);
        node.moveTo(next, now);
        final NodeLiveness liveness = toRecord(node, now);
        store.put(node.nodeId, liveness);
        node.dirty = false;
        context.forward(new Record<>(node.nodeId, liveness, now));
    }

    private NodeLiveness toRecord(final NodeTrack node, final long now) {
        return NodeLiveness.newBuilder()
                .setMetadata(EventMetadatas.newMetadata(PRODUCER, clock))
                .setNodeId(node.nodeId)
                .setState(node.state)
                .setLastActive(Instant.ofEpochMilli(node.lastActive))
                .setLastTelemetry(node.lastTelemetry == null ? null : Instant.ofEpochMilli(node.lastTelemetry))
                .setSince(Instant.ofEpochMilli(node.since))
                .setFlapCount(node.flapCount(now, policy.flapWindow().toMillis()))
                .setRecentTransitions(new ArrayList<>(node.transitions))
                .build();
    }
}
