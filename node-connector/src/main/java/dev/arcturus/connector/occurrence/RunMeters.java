package dev.arcturus.connector.occurrence;

import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.UpdateRunRequest;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;

/**
 * A connector's Prometheus meters, tagged with the node: run reports by status (SKIPPED and FAILED among them),
 * schedule skew (an occurrence's planned fire time to its container being deployed) and missed occurrences run late
 * under the RUN_ONCE_LATE policy.
 */
public final class RunMeters {
    private final String nodeId;
    private final Timer skew;

    public RunMeters(final String nodeId) {
        this.nodeId = nodeId;
        this.skew = Timer.builder("arcturus.connector.schedule.skew")
                .description("Planned fire time of an occurrence to the start of its run")
                .tag("node", nodeId).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(Metrics.globalRegistry);
    }

    /** A run step was recorded (journaled) by the node. */
    public void recorded(final UpdateRunRequest update) {
        reported(update.getStatus(), Instant.ofEpochSecond(update.getScheduledAt().getSeconds()), Instant.now());
    }

    void reported(final RunStatus status, final Instant scheduledAt, final Instant now) {
        Metrics.counter("arcturus.connector.runs", "node", nodeId, "status", status.name()).increment();
        if (status == RunStatus.DEPLOYING) {
            skew.record(Duration.between(scheduledAt, now).abs());
        }
    }

    public void missedRunLate() {
        Metrics.counter("arcturus.connector.missed.occurrences", "node", nodeId, "policy", "RUN_ONCE_LATE").increment();
    }
}
