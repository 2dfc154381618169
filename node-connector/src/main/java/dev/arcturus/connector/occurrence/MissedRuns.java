package dev.arcturus.connector.occurrence;

import dev.arcturus.gateway.api.v1.Job;
import dev.arcturus.gateway.api.v1.MissedRunPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The missed-run policy, applied after every gap: the agent restarted (occurrences since the last one it handled),
 * or it learnt of a job after the job's time had come (a job accepted a second after its window opened). The newest
 * missed occurrence runs late if it is at most {@link #LATE_GRACE} late — whatever the policy, as a cron daemon that
 * was busy would — or, under RUN_ONCE_LATE, within the job's starting deadline. Every other occurrence in the gap is
 * recorded MISSED with the reason: never absent.
 */
public final class MissedRuns {
    /** How late an occurrence may start and still be run rather than recorded MISSED, under any policy. */
    public static final Duration LATE_GRACE = Duration.ofSeconds(10);
    /** At most this many MISSED records per job and gap (a node away for a year does not flood the plane). */
    static final int MAX_RECORDED = 1_000;
    private static final Logger log = LoggerFactory.getLogger(MissedRuns.class);

    private final OccurrenceRunner runner;
    private final RunMeters meters;
    private final Executor runs;

    public MissedRuns(final OccurrenceRunner runner, final RunMeters meters, final Executor runs) {
        this.runner = runner;
        this.meters = meters;
        this.runs = runs;
    }

    /** What to do with a gap: the occurrences to record MISSED, and the one to run late, if any. */
    public record Plan(List<Instant> missed, Optional<Instant> late) {
    }

    /** The plan for the job's occurrences in {@code [from, now)}. */
    public static Plan plan(final Job job, final Instant from, final Instant now) {
        final List<Instant> gap = new ArrayList<>();
        for (Instant next = Occurrences.next(job, from); next != null && next.isBefore(now);
             next = Occurrences.next(job, next.plusMillis(1))) {
            gap.add(next);
        }
        if (gap.isEmpty()) {
            return new Plan(List.of(), Optional.empty());
        }
        final Instant newest = gap.get(gap.size() - 1);
        final Duration late = Duration.between(newest, now);
        final boolean runLate = late.compareTo(LATE_GRACE) <= 0
                || job.getSpec().getMissedRunPolicy() == MissedRunPolicy.RUN_ONCE_LATE
                && late.compareTo(Duration.ofSeconds(job.getSpec().getStartingDeadlineSeconds())) <= 0;
        if (runLate) {
            gap.remove(gap.size() - 1);
        }
        final List<Instant> missed = gap.size() > MAX_RECORDED ? gap.subList(gap.size() - MAX_RECORDED, gap.size())
                : gap;
        return new Plan(List.copyOf(missed), runLate ? Optional.of(newest) : Optional.empty());
    }

    /** Applies the policy to the job's occurrences in {@code [from, now)}; {@code why} says what the gap was. */
    public void decide(final Job job, final Instant from, final Instant now, final String why) {
        final Plan plan = plan(job, from, now);
        if (!plan.missed().isEmpty()) {
            log.info("Job {}: {} occurrences from {} missed ({}); recorded MISSED", job.getSpec().getId(),
                    plan.missed().size(), plan.missed().get(0), why);
            plan.missed().forEach(at -> runner.missed(job, at, "missed: " + why + " at its scheduled time"));
        }
        plan.late().ifPresent(at -> {
            log.info("Job {}: running the occurrence of {} late ({})", job.getSpec().getId(), at, why);
            meters.missedRunLate();
            runs.execute(() -> runner.run(job, at));
        });
    }

    /** A job the agent has just learnt of: its occurrences within the grace (or the starting deadline) before now. */
    public void decideForNewJob(final Job job, final Instant now) {
        final Duration lookBack = Duration.ofSeconds(Math.max(LATE_GRACE.toSeconds(),
                job.getSpec().getStartingDeadlineSeconds()));
        decide(job, now.minus(lookBack), now, "the node learnt of the job after its time");
    }
}
