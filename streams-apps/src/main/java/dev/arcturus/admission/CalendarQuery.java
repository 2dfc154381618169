package dev.arcturus.admission;

import dev.arcturus.admission.calendar.ScheduledRun;
import dev.arcturus.avro.CalendarJob;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.avro.NodeCalendarState;
import dev.arcturus.scheduling.schedule.InvalidScheduleException;
import dev.arcturus.scheduling.schedule.JobRuns;
import dev.arcturus.scheduling.schedule.JobSpecs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * "Which runs does node N take part in between from and to?", bounded and paged (LEOScope's calendar had its range
 * limit commented out and could return 525k events in one answer). Pages are ordered by (start, jobId); pass the
 * returned cursor to get the next page.
 */
public final class CalendarQuery {
    public static final int MAX_PAGE = 1000;
    public static final long MAX_RANGE_MILLIS = 31L * 24 * 3600 * 1000;

    /** One page of runs and the cursor for the next page (empty at the end). */
    public record Page(List<ScheduledRun> runs, Optional<Cursor> next) {
    }

    /** Resume after this run. */
    public record Cursor(long start, String jobId) {
    }

    private CalendarQuery() {
    }

    /** Reads the calendar from a running admission app (the instance that hosts the node's partition). */
    public static Page runs(final KafkaStreams streams, final String nodeId, final long from, final long to,
                            final Cursor after, final int limit) {
        final ReadOnlyKeyValueStore<String, NodeCalendarState> store = streams.store(StoreQueryParameters
                .fromNameAndType(AdmissionStores.NODE_CALENDAR_STORE, QueryableStoreTypes.keyValueStore()));
        return runs(store.get(nodeId), nodeId, from, to, after, limit);
    }

    public static Page runs(final NodeCalendarState state, final String nodeId, final long from, final long to,
                            final Cursor after, final int limit) {
        if (to <= from || to - from > MAX_RANGE_MILLIS) {
            throw new IllegalArgumentException("range: 'to' must be after 'from' and at most 31 days later");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit: must be 1.." + MAX_PAGE + ", was " + limit);
        }
        final List<ScheduledRun> runs = new ArrayList<>();
        if (state != null) {
            for (final CalendarJob job : state.getJobs()) {
                collect(job.getSpec(), nodeId, from, to, runs);
            }
        }
        runs.sort(Comparator.comparingLong(ScheduledRun::start).thenComparing(ScheduledRun::jobId));
        final List<ScheduledRun> page = runs.stream().filter(r -> after == null || r.start() > after.start()
                || (r.start() == after.start() && r.jobId().compareTo(after.jobId()) > 0)).limit(limit + 1L).toList();
        if (page.size() <= limit) {
            return new Page(page, Optional.empty());
        }
        final ScheduledRun last = page.get(limit - 1);
        return new Page(page.subList(0, limit), Optional.of(new Cursor(last.start(), last.jobId())));
    }

    private static void collect(final JobSpec spec, final String nodeId, final long from, final long to,
                                final List<ScheduledRun> out) {
        final JobRuns runs;
        try {
            runs = JobSpecs.expand(spec);
        } catch (final InvalidScheduleException e) {
            throw new IllegalStateException("accepted job " + spec.getJobId() + " no longer expands", e);
        }
        final boolean asServer = nodeId.equals(spec.getServerNodeId());
        for (final long start : runs.startsOverlapping(from, to)) {
            out.add(new ScheduledRun(spec.getJobId(), start, start + runs.lengthMillis(), asServer,
                    spec.getExclusive()));
        }
    }
}
