package dev.arcturus.liveness;

import dev.arcturus.avro.LivenessState;

/** The state a node should be in now; pure, so every rule is tested with a controlled clock. */
final class LivenessRules {
    private LivenessRules() {
    }

    /**
     * @param assignedAt when this instance took over the node's partition (restart or rebalance)
     */
    static LivenessState next(final NodeTrack node, final long now, final long assignedAt, final LivenessPolicy policy) {
        if (node.state == LivenessState.UNKNOWN && node.lastActive == 0) {
            return LivenessState.UNKNOWN; // registered but never heard from
        }
        final LivenessState observed = observed(node, now, policy);
        if (node.state != LivenessState.UNKNOWN && worse(observed, node.state)
                && now - assignedAt < policy.grace().toMillis()) {
            return node.state; // we may simply not have seen the beats yet: wait out the grace period
        }
        final boolean flapping = node.flapCount(now, policy.flapWindow().toMillis()) >= policy.flapThreshold();
        if (flapping && node.state == LivenessState.SUSPECT
                && (observed == LivenessState.UP || observed == LivenessState.DEGRADED)) {
            return LivenessState.SUSPECT; // held until its transitions age out of the window
        }
        return observed;
    }

    private static LivenessState observed(final NodeTrack node, final long now, final LivenessPolicy policy) {
        final long silence = now - node.lastActive;
        if (silence > policy.ttl().toMillis()) {
            return LivenessState.DOWN;
        }
        if (silence > policy.suspectAfter().toMillis()) {
            return LivenessState.SUSPECT;
        }
        return telemetryStale(node, now, policy) ? LivenessState.DEGRADED : LivenessState.UP;
    }

    /**
     * Telemetry is stale once its last report is older than the TTL. A node that never reported any is stale once it
     * has been UP for the TTL, and stays so: its DEGRADED state must not end by itself (counting from the transition
     * made it bounce back to UP every TTL).
     */
    private static boolean telemetryStale(final NodeTrack node, final long now, final LivenessPolicy policy) {
        final long ttl = policy.telemetryTtl().toMillis();
        if (node.lastTelemetry != null) {
            return now - node.lastTelemetry > ttl;
        }
        return node.state == LivenessState.DEGRADED || node.state == LivenessState.UP && now - node.since > ttl;
    }

    /** DOWN is worse than SUSPECT, which is worse than DEGRADED, which is worse than UP. */
    static boolean worse(final LivenessState a, final LivenessState b) {
        return rank(a) > rank(b);
    }

    private static int rank(final LivenessState state) {
        return switch (state) {
            case UP -> 0;
            case DEGRADED -> 1;
            case SUSPECT -> 2;
            case DOWN -> 3;
            default -> -1;
        };
    }
}
