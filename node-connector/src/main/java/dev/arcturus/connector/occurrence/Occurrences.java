package dev.arcturus.connector.occurrence;

import dev.arcturus.gateway.api.v1.Job;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.scheduling.schedule.InvalidScheduleException;
import dev.arcturus.scheduling.schedule.Schedule;
import java.time.Instant;
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** When a job's occurrences fall: inside its window only, with the same schedule code admission uses. */
public final class Occurrences {
    private static final Logger log = LoggerFactory.getLogger(Occurrences.class);

    private Occurrences() {
    }

    /** The job's first occurrence at or after {@code from}, or null once its window is over. */
    public static Instant next(final Job job, final Instant from) {
        final long windowStart = job.getSpec().getStart().getSeconds() * 1000;
        final long end = job.getSpec().getEnd().getSeconds() * 1000;
        if (Math.max(from.toEpochMilli(), windowStart) >= end) {
            return null;
        }
        if (job.getSpec().getType() == JobType.ONE_SHOT) {
            return windowStart >= from.toEpochMilli() ? Instant.ofEpochMilli(windowStart) : null;
        }
        try {
            final ZoneId zone = ZoneId.of(job.getSpec().getTimeZone().isEmpty() ? "UTC" : job.getSpec().getTimeZone());
            final long next = Schedule.parse(job.getSpec().getSchedule()).nextFire(windowStart, from.toEpochMilli(), end,
                    zone);
            return next < 0 ? null : Instant.ofEpochMilli(next);
        } catch (final InvalidScheduleException e) {
            log.warn("Job {}: unusable schedule ({}); not scheduling it", job.getSpec().getId(), e.getMessage());
            return null;
        }
    }
}
