package dev.arcturus.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.LivenessState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LivenessRulesTest {
    private static final LivenessPolicy POLICY = LivenessPolicy.defaults();

    private static NodeTrack up(final long lastActive) {
        final NodeTrack node = new NodeTrack("n");
        node.lastActive = lastActive;
        node.lastTelemetry = lastActive;
        node.state = LivenessState.UP;
        return node;
    }

    @Test
    void shouldNotMarkANodeDownJustBecauseThisInstanceHasOnlyJustTakenOverItsPartition() {
        final long now = 1_000_000;
        final NodeTrack silentSinceBeforeTheRestart = up(now - Duration.ofMinutes(5).toMillis());

        assertThat(LivenessRules.next(silentSinceBeforeTheRestart, now, now - 1_000, POLICY))
                .as("within the grace period").isEqualTo(LivenessState.UP);
        assertThat(LivenessRules.next(silentSinceBeforeTheRestart, now, now - 31_000, POLICY))
                .as("after it: genuinely silent").isEqualTo(LivenessState.DOWN);
    }

    @Test
    void shouldLetANodeImproveDuringTheGracePeriod() {
        final NodeTrack down = up(1_000_000);
        down.state = LivenessState.DOWN;

        assertThat(LivenessRules.next(down, 1_000_500, 1_000_000, POLICY)).isEqualTo(LivenessState.UP);
    }

    @Test
    void shouldLeaveANeverSeenNodeUnknown() {
        assertThat(LivenessRules.next(new NodeTrack("n"), 5_000_000, 0, POLICY)).isEqualTo(LivenessState.UNKNOWN);
    }

    @Test
    void shouldKeepANodeThatBeatsButNeverReportsTelemetryDegradedInsteadOfBouncingBackToUp() {
        // Found by the soak: such a node went UP -> DEGRADED -> UP every telemetry TTL, because the age of its
        // (missing) telemetry was counted from its last transition.
        final NodeTrack node = new NodeTrack("n");
        node.state = LivenessState.UP;
        long now = 1_000_000;
        node.since = now;
        for (int second = 0; second < 600; second++, now += 1_000) {
            node.lastActive = now; // beating all along
            final LivenessState next = LivenessRules.next(node, now, 0, POLICY);
            if (next != node.state) {
                node.moveTo(next, now);
            }
        }

        assertThat(node.state).isEqualTo(LivenessState.DEGRADED);
        assertThat(node.transitions).as("one move, UP to DEGRADED, after the telemetry TTL").hasSize(1);
        assertThat(node.since).isEqualTo(1_000_000 + POLICY.telemetryTtl().toMillis() + 1_000);
    }
}
