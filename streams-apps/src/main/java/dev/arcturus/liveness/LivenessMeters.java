package dev.arcturus.liveness;

import dev.arcturus.avro.LivenessState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Liveness's Prometheus meters: transitions by target state, flaps (a transition of a node that already moved within
 * the flap window), the nodes currently flapping, and heartbeat lateness: how much longer than the interval it
 * promised a node's next heartbeat took (what an operator alerts on before nodes go SUSPECT). Each processor (one per
 * task) reports its own flapping count; the gauge sums them, so it stays right when tasks move between instances.
 */
final class LivenessMeters {
    private static final Map<LivenessState, Counter> TRANSITIONS = new EnumMap<>(LivenessState.class);
    private static final Counter FLAPS = Counter.builder("arcturus.liveness.flaps")
            .description("Transitions of nodes that had already changed state within the flap window")
            .register(Metrics.globalRegistry);
    private static final DistributionSummary HEARTBEAT_LATENESS = DistributionSummary
            .builder("arcturus.liveness.heartbeat.lateness").baseUnit("seconds")
            .description("How much later than its promised interval a node's heartbeat arrived (0: on time)")
            .serviceLevelObjectives(0.1, 0.5, 1, 2, 5, 10, 20, 30)
            .register(Metrics.globalRegistry);
    private static final Map<Object, Integer> FLAPPING_BY_PROCESSOR = new ConcurrentHashMap<>();

    static {
        for (final LivenessState state : LivenessState.values()) {
            TRANSITIONS.put(state, Counter.builder("arcturus.liveness.transitions")
                    .description("Liveness transitions by the state entered").tag("to", state.name())
                    .register(Metrics.globalRegistry));
        }
        Gauge.builder("arcturus.liveness.flapping.nodes", FLAPPING_BY_PROCESSOR,
                        m -> m.values().stream().mapToInt(Integer::intValue).sum())
                .description("Nodes with at least the flap threshold of transitions in the window")
                .register(Metrics.globalRegistry);
    }

    private LivenessMeters() {
    }

    static void transition(final LivenessState to, final int earlierTransitionsInWindow) {
        TRANSITIONS.get(to).increment();
        if (earlierTransitionsInWindow > 0) {
            FLAPS.increment();
        }
    }

    static void heartbeatLateness(final long millis) {
        HEARTBEAT_LATENESS.record(Math.max(0, millis) / 1000.0);
    }

    static void flapping(final Object processor, final int nodes) {
        FLAPPING_BY_PROCESSOR.put(processor, nodes);
    }

    static void closed(final Object processor) {
        FLAPPING_BY_PROCESSOR.remove(processor);
    }
}
