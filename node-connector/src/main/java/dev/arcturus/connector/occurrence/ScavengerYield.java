package dev.arcturus.connector.occurrence;

import dev.arcturus.gateway.api.v1.DecisionOutcome;
import dev.arcturus.gateway.api.v1.Job;
import dev.arcturus.gateway.api.v1.JobDecision;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.RescheduleNearestRequest;
import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.client.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Scavenger mode's claim on an exclusive occurrence: a cron occurrence is ABORTED; a one-shot job asks admission for
 * the nearest free slot after the reschedule buffer (LEOScope's resched-buffer) — RESCHEDULED, or FAILED when none is
 * left before its deadline. It never runs anyway.
 */
public final class ScavengerYield {
    private final BooleanSupplier scavenging;
    private final JobServiceGrpc.JobServiceBlockingStub jobs;
    private final Duration rescheduleBuffer;

    public ScavengerYield(final BooleanSupplier scavenging, final JobServiceGrpc.JobServiceBlockingStub jobs,
                          final Duration rescheduleBuffer) {
        this.scavenging = scavenging;
        this.jobs = jobs;
        this.rescheduleBuffer = rescheduleBuffer;
    }

    /** Whether the occurrence must yield: the node is scavenging and the job is exclusive. */
    public boolean claims(final Job job) {
        return job.getSpec().getExclusive() && scavenging.getAsBoolean();
    }

    /** What becomes of the yielded occurrence: its final status and why. */
    public record Outcome(RunStatus status, String reason) {
    }

    public Outcome yieldOccurrence(final Job job) {
        if (job.getSpec().getType() != JobType.ONE_SHOT) {
            return new Outcome(RunStatus.ABORTED, "not started: the node is in scavenger mode");
        }
        final JobDecision decision = jobs.withDeadlineAfter(10, TimeUnit.SECONDS).rescheduleNearest(RescheduleNearestRequest.newBuilder()
                .setId(job.getSpec().getId()).setNotBefore(Timestamps.of(Instant.now().plus(rescheduleBuffer))).build());
        if (decision.getOutcome() == DecisionOutcome.ACCEPTED) {
            return new Outcome(RunStatus.RESCHEDULED, "scavenger mode: moved to "
                    + Instant.ofEpochSecond(decision.getScheduledStart().getSeconds()));
        }
        return new Outcome(RunStatus.FAILED, "scavenger mode: no free slot before the deadline ("
                + decision.getReason() + ")");
    }
}
