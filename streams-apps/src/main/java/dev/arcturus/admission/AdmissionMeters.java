package dev.arcturus.admission;

import dev.arcturus.avro.DecisionOutcome;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Admission's Prometheus meters (Micrometer's global registry; exposed by the process's {@code /metrics}):
 * decisions by outcome, decision latency (command written → decision made, both from the records' event times, so
 * queueing in Kafka counts) and conflicts found.
 */
final class AdmissionMeters {
    private static final Counter ACCEPTED = decisions(DecisionOutcome.ACCEPTED);
    private static final Counter REJECTED = decisions(DecisionOutcome.REJECTED);
    private static final Timer LATENCY = Timer.builder("arcturus.admission.decision.latency")
            .description("Time from a job command's event time to admission's decision")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
            .register(Metrics.globalRegistry);
    private static final Counter CONFLICTS = Counter.builder("arcturus.admission.conflicts")
            .description("Conflicting exclusive jobs reported in rejections").register(Metrics.globalRegistry);

    private AdmissionMeters() {
    }

    private static Counter decisions(final DecisionOutcome outcome) {
        return Counter.builder("arcturus.admission.decisions").description("Admission decisions by outcome")
                .tag("outcome", outcome.name()).register(Metrics.globalRegistry);
    }

    static void decided(final JobCommand command, final JobDecision decision) {
        (decision.getOutcome() == DecisionOutcome.ACCEPTED ? ACCEPTED : REJECTED).increment();
        CONFLICTS.increment(decision.getConflicts() == null ? 0 : decision.getConflicts().size());
        final long millis = decision.getMetadata().getOccurredAt().toEpochMilli()
                - command.getMetadata().getOccurredAt().toEpochMilli();
        LATENCY.record(Duration.ofMillis(Math.max(0, millis)));
    }
}
