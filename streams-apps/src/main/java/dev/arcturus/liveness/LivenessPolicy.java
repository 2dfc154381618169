package dev.arcturus.liveness;

import java.time.Duration;

/**
 * When a node counts as what.
 *
 * @param suspectAfter   heartbeat silence after which a node is SUSPECT (a beat is late)
 * @param ttl            heartbeat silence after which a node is DOWN
 * @param telemetryTtl   heartbeats arrive but no system info or probe for this long: DEGRADED
 * @param grace          after this instance takes over a node, no degrading transition for this long, so a restart or
 *                       a rebalance never marks healthy nodes DOWN
 * @param flapWindow     window over which transitions are counted
 * @param flapThreshold  transitions within the window from which a node is held in SUSPECT instead of bouncing
 * @param tick           how often silence is evaluated (wall clock)
 */
public record LivenessPolicy(Duration suspectAfter, Duration ttl, Duration telemetryTtl, Duration grace,
                             Duration flapWindow, int flapThreshold, Duration tick) {
    public LivenessPolicy {
        if (suspectAfter.isNegative() || suspectAfter.isZero() || ttl.compareTo(suspectAfter) <= 0) {
            throw new IllegalArgumentException("need 0 < suspectAfter < ttl, got " + suspectAfter + " and " + ttl);
        }
        if (flapThreshold < 2) {
            throw new IllegalArgumentException("flapThreshold must be at least 2, was " + flapThreshold);
        }
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tick must be positive, was " + tick);
        }
    }

    /** Heartbeats every 10 s: SUSPECT after 15 s, DOWN after 30 s, DEGRADED after 60 s without telemetry. */
    public static LivenessPolicy defaults() {
        return new LivenessPolicy(Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofMinutes(5), 4, Duration.ofSeconds(1));
    }
}
