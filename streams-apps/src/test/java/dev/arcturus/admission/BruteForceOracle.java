package dev.arcturus.admission;

import dev.arcturus.avro.JobKind;
import dev.arcturus.avro.JobSpec;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides admission the slow, obvious way: expand every run at minute resolution by walking every UTC minute of the
 * window, mark the minutes each accepted exclusive job occupies on each of its nodes, and look for a shared minute.
 * Shares no code with the production path (not even its DST handling), so agreement means something.
 */
final class BruteForceOracle {
    /** A cron job as explicit field sets (null = any), from which the test also renders the cron text. */
    record Draft(JobSpec spec, Set<Integer> minutes, Set<Integer> hours, Set<Integer> daysOfWeek) {
    }

    private final Map<String, Draft> accepted = new HashMap<>();
    private final Map<String, List<long[]>> runCache = new HashMap<>();

    Set<String> lastConflicts = Set.of();

    boolean schedule(final Draft draft) {
        return !accepted.containsKey(draft.spec().getJobId()) && admit(draft, null);
    }

    boolean modify(final Draft draft) {
        return accepted.containsKey(draft.spec().getJobId()) && admit(draft, draft.spec().getJobId());
    }

    boolean delete(final String jobId) {
        return accepted.remove(jobId) != null;
    }

    Map<String, Draft> accepted() {
        return accepted;
    }

    private boolean admit(final Draft draft, final String replacing) {
        lastConflicts = Set.of();
        final List<long[]> runs = minuteRuns(draft);
        if (runs == null) {
            return false; // invalid
        }
        if (draft.spec().getExclusive()) {
            final Set<String> conflicts = new LinkedHashSet<>();
            for (final String node : nodes(draft.spec())) {
                final Map<Long, String> occupied = occupancy(node, replacing);
                for (final long[] run : runs) {
                    for (long m = run[0]; m < run[1]; m++) {
                        final String owner = occupied.get(m);
                        if (owner != null) {
                            conflicts.add(owner);
                        }
                    }
                }
            }
            if (!conflicts.isEmpty()) {
                lastConflicts = conflicts;
                return false;
            }
        }
        accepted.put(draft.spec().getJobId(), draft);
        return true;
    }

    private Map<Long, String> occupancy(final String node, final String excluded) {
        final Map<Long, String> occupied = new HashMap<>();
        for (final Draft other : accepted.values()) {
            if (!other.spec().getExclusive() || other.spec().getJobId().equals(excluded)
                    || !nodes(other.spec()).contains(node)) {
                continue;
            }
            for (final long[] run : minuteRuns(other)) {
                for (long m = run[0]; m < run[1]; m++) {
                    occupied.put(m, other.spec().getJobId());
                }
            }
        }
        return occupied;
    }

    private static List<String> nodes(final JobSpec spec) {
        final List<String> nodes = new ArrayList<>();
        nodes.add(spec.getTargetNodeId());
        if (spec.getServerNodeId() != null) {
            nodes.add(spec.getServerNodeId());
        }
        return nodes;
    }

    /** Runs as [startMinute, endMinute) in epoch minutes; null when the job is invalid. */
    private List<long[]> minuteRuns(final Draft draft) {
        final JobSpec spec = draft.spec();
        final String cacheKey = spec.toString();
        if (runCache.containsKey(cacheKey)) {
            return runCache.get(cacheKey);
        }
        final long from = spec.getWindowStart().getEpochSecond() / 60;
        final long to = spec.getWindowEnd().getEpochSecond() / 60;
        final long length = spec.getLengthSeconds() / 60;
        final List<long[]> runs = new ArrayList<>();
        if (spec.getKind() == JobKind.ONE_SHOT) {
            runs.add(new long[] {from, from + length});
            final List<long[]> result = from + length <= to ? runs : null;
            runCache.put(cacheKey, result);
            return result;
        }
        final ZoneId zone = ZoneId.of(spec.getTimeZone());
        long previous = Long.MIN_VALUE;
        long shortestGap = Long.MAX_VALUE;
        for (long minute = from; minute < to; minute++) {
            final LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochSecond(minute * 60), zone);
            if (matches(draft, local) && firstOccurrence(local, minute, zone)) {
                if (previous != Long.MIN_VALUE) {
                    shortestGap = Math.min(shortestGap, minute - previous);
                }
                previous = minute;
                runs.add(new long[] {minute, minute + length});
            }
        }
        final List<long[]> result = length > shortestGap ? null : runs;
        runCache.put(cacheKey, result);
        return result;
    }

    private static boolean matches(final Draft draft, final LocalDateTime local) {
        return (draft.minutes() == null || draft.minutes().contains(local.getMinute()))
                && (draft.hours() == null || draft.hours().contains(local.getHour()))
                && (draft.daysOfWeek() == null || draft.daysOfWeek().contains(local.getDayOfWeek().getValue() % 7));
    }

    /** True unless the same wall-clock time already happened within the previous two hours (a fall-back repeat). */
    private static boolean firstOccurrence(final LocalDateTime local, final long minute, final ZoneId zone) {
        for (long earlier = minute - 120; earlier < minute; earlier++) {
            if (LocalDateTime.ofInstant(Instant.ofEpochSecond(earlier * 60), zone).equals(local)) {
                return false;
            }
        }
        return true;
    }

    static Set<Integer> setOf(final int... values) {
        final Set<Integer> set = new HashSet<>();
        for (final int v : values) {
            set.add(v);
        }
        return set;
    }
}
