package dev.arcturus.gateway.dashboard;

import dev.arcturus.avro.JobState;
import dev.arcturus.avro.RunState;
import dev.arcturus.avro.RunStatus;
import dev.arcturus.gateway.runs.RunQuery;
import dev.arcturus.gateway.state.PlaneView;
import dev.arcturus.scheduling.runs.RunLifecycle;
import dev.arcturus.topics.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the dashboard says about runs beyond the latest ones: outcomes per hour over the last day (the chart), runs
 * that failed or timed out in the last hour, and runs still not final well after their length (stuck deploying or
 * executing, or their node went quiet) — "needs attention".
 */
final class RunDigest {
    static final int HOURS = 24;
    /** How many runs of the last day are read at most; the chart says when it was cut. */
    static final int SCAN_LIMIT = 50_000;
    static final int LISTED = 100;
    /** A run is overdue once this long past its scheduled start plus its length. */
    static final Duration GRACE = Duration.ofMinutes(2);
    private static final long HOUR_MS = 3_600_000;

    private final PlaneView view;
    private final Function<RunState, String> runJson;

    RunDigest(final PlaneView view, final Function<RunState, String> runJson) {
        this.view = view;
        this.runJson = runJson;
    }

    String json(final Instant now) {
        final long nowMs = now.toEpochMilli();
        final long firstHour = Math.floorDiv(nowMs, HOUR_MS) - (HOURS - 1);
        final long[] completed = new long[HOURS];
        final long[] failed = new long[HOURS];
        final long[] timedOut = new long[HOURS];
        final long[] otherFinal = new long[HOURS];
        final List<String> recentFailures = new ArrayList<>();
        final List<String> overdue = new ArrayList<>();
        final List<RunState> runs = view.runs().query(RunQuery.all(SCAN_LIMIT)
                .between(Instant.ofEpochMilli(firstHour * HOUR_MS), now.plus(Duration.ofHours(1)))).runs();
        for (final RunState run : runs) {
            final int bucket = (int) (Math.floorDiv(run.getScheduledAt().toEpochMilli(), HOUR_MS) - firstHour);
            final RunStatus status = run.getStatus();
            if (bucket >= 0 && bucket < HOURS && RunLifecycle.isFinal(status)) {
                switch (status) {
                    case COMPLETED -> completed[bucket]++;
                    case FAILED -> failed[bucket]++;
                    case TIMED_OUT -> timedOut[bucket]++;
                    default -> otherFinal[bucket]++;
                }
            }
            final boolean failure = status == RunStatus.FAILED || status == RunStatus.TIMED_OUT;
            if (failure && run.getLastUpdated().toEpochMilli() >= nowMs - HOUR_MS && recentFailures.size() < LISTED) {
                recentFailures.add(runJson.apply(run));
            }
            if (!RunLifecycle.isFinal(status) && overdue.size() < LISTED) {
                dueBy(run).filter(due -> due.toEpochMilli() < nowMs).ifPresent(due -> overdue.add(runJson.apply(run)));
            }
        }
        final List<Long> hours = new ArrayList<>();
        for (int i = 0; i < HOURS; i++) {
            hours.add((firstHour + i) * HOUR_MS);
        }
        return Json.object().field("hours", hours).field("completed", boxed(completed)).field("failed", boxed(failed))
                .field("timedOut", boxed(timedOut)).field("otherFinal", boxed(otherFinal))
                .field("scanned", runs.size()).field("cut", runs.size() >= SCAN_LIMIT)
                .field("recentFailures", new Json.Raw(Json.array(recentFailures)))
                .field("overdue", new Json.Raw(Json.array(overdue))).end();
    }

    /** When a run still not final should have ended: its start (or schedule) plus its job's length and the grace. */
    private java.util.Optional<Instant> dueBy(final RunState run) {
        return view.get(TopicCatalog.JOB_STATE, run.getJobId()).map(JobState::getSpec).map(spec -> {
            final Instant from = run.getStartedAt() != null ? run.getStartedAt() : run.getScheduledAt();
            return from.plusSeconds(spec.getLengthSeconds()).plus(GRACE);
        });
    }

    private static List<Long> boxed(final long[] values) {
        final List<Long> out = new ArrayList<>(values.length);
        for (final long v : values) {
            out.add(v);
        }
        return out;
    }
}
