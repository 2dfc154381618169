package dev.arcturus.admission.calendar;

import dev.arcturus.scheduling.schedule.JobRuns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The busy time of one node: every run of every exclusive job on it, in either role, as parallel sorted arrays.
 *
 * <p>Invariant: the intervals are pairwise disjoint (touching allowed), because admission never accepts two
 * overlapping exclusive runs on a node. That lets a candidate be checked in one merge-like sweep,
 * O(candidate runs + calendar runs), instead of LEOScope's pairwise re-expansion.
 */
public final class NodeCalendar {
    private long[] starts = new long[0];
    private long[] ends = new long[0];
    private int[] owners = new int[0];
    private final List<String> ownerIds = new ArrayList<>();
    private final Map<String, Integer> ownerIndex = new HashMap<>();

    public int runCount() {
        return starts.length;
    }

    /** Conflicts of {@code candidate} with this calendar, first overlap per job, at most {@code max} jobs. */
    public List<Conflict> conflicts(final JobRuns candidate, final String ignoredJobId, final int max) {
        final Map<String, Conflict> found = new LinkedHashMap<>();
        final Integer ignored = ignoredJobId == null ? null : ownerIndex.get(ignoredJobId);
        final long[] cand = candidate.starts();
        final long length = candidate.lengthMillis();
        int j = firstEndingAfter(cand.length == 0 ? Long.MAX_VALUE : cand[0]);
        for (int i = 0; i < cand.length && j < starts.length && found.size() < max; i++) {
            final long cs = cand[i];
            final long ce = cs + length;
            while (j < starts.length && ends[j] <= cs) {
                j++;
            }
            for (int k = j; k < starts.length && starts[k] < ce; k++) {
                if (ignored != null && owners[k] == ignored) {
                    continue;
                }
                final String owner = ownerIds.get(owners[k]);
                if (!found.containsKey(owner)) {
                    found.put(owner, new Conflict(owner, Math.max(cs, starts[k]), Math.min(ce, ends[k])));
                    if (found.size() >= max) {
                        break;
                    }
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    /** Adds the runs of an accepted exclusive job (replacing any earlier version of it). */
    public void add(final JobRuns runs) {
        remove(runs.jobId());
        final int owner = ownerIndex.computeIfAbsent(runs.jobId(), id -> {
            ownerIds.add(id);
            return ownerIds.size() - 1;
        });
        final int n = starts.length;
        final int m = runs.size();
        final long[] mergedStarts = new long[n + m];
        final long[] mergedEnds = new long[n + m];
        final int[] mergedOwners = new int[n + m];
        int i = 0;
        int k = 0;
        for (int out = 0; out < n + m; out++) {
            if (k >= m || (i < n && starts[i] <= runs.starts()[k])) {
                mergedStarts[out] = starts[i];
                mergedEnds[out] = ends[i];
                mergedOwners[out] = owners[i++];
            } else {
                mergedStarts[out] = runs.starts()[k];
                mergedEnds[out] = runs.end(k++);
                mergedOwners[out] = owner;
            }
        }
        starts = mergedStarts;
        ends = mergedEnds;
        owners = mergedOwners;
    }

    public void remove(final String jobId) {
        final Integer owner = ownerIndex.get(jobId);
        if (owner == null) {
            return;
        }
        int kept = 0;
        for (int i = 0; i < starts.length; i++) {
            if (owners[i] != owner) {
                starts[kept] = starts[i];
                ends[kept] = ends[i];
                owners[kept++] = owners[i];
            }
        }
        starts = Arrays.copyOf(starts, kept);
        ends = Arrays.copyOf(ends, kept);
        owners = Arrays.copyOf(owners, kept);
    }

    /** Busy intervals overlapping {@code [from, to)}, excluding one job's, at most {@code max}. */
    public List<long[]> busyBetween(final long from, final long to, final String ignoredJobId, final int max) {
        final Integer ignored = ignoredJobId == null ? null : ownerIndex.get(ignoredJobId);
        final List<long[]> busy = new ArrayList<>();
        for (int k = firstEndingAfter(from); k < starts.length && starts[k] < to && busy.size() < max; k++) {
            if (ignored == null || owners[k] != ignored) {
                busy.add(new long[] {starts[k], ends[k]});
            }
        }
        return busy;
    }

    /** Index of the first interval ending after {@code t} (binary search on the sorted, disjoint ends). */
    private int firstEndingAfter(final long t) {
        int lo = 0;
        int hi = ends.length;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (ends[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
