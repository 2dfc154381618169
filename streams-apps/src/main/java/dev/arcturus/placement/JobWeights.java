package dev.arcturus.placement;

import dev.arcturus.avro.JobSpec;
import dev.arcturus.scheduling.schedule.InvalidScheduleException;
import dev.arcturus.scheduling.schedule.JobRuns;
import dev.arcturus.scheduling.schedule.JobSpecs;
import java.util.HashMap;
import java.util.Map;

/**
 * A job's weight on each of its nodes: the fraction of its window its runs occupy (runs x length / window), so an
 * hourly 6-minute job weighs 0.1 and a daily one 0.004. Expanding a cron schedule is the costly part, so weights are
 * cached per job version.
 */
final class JobWeights {
    private record Cached(long version, double weight) {
    }

    private final Map<String, Cached> cache = new HashMap<>();

    double weightOf(final String jobId, final long version, final JobSpec spec) {
        final Cached cached = cache.get(jobId);
        if (cached != null && cached.version() == version) {
            return cached.weight();
        }
        final double weight = compute(spec);
        cache.put(jobId, new Cached(version, weight));
        return weight;
    }

    void forget(final String jobId) {
        cache.remove(jobId);
    }

    static double compute(final JobSpec spec) {
        final long window = spec.getWindowEnd().toEpochMilli() - spec.getWindowStart().toEpochMilli();
        if (window <= 0) {
            return 0;
        }
        try {
            final JobRuns runs = JobSpecs.expand(spec);
            return Math.min(1.0, (double) runs.size() * runs.lengthMillis() / window);
        } catch (final InvalidScheduleException e) {
            return 0; // only admitted (valid) jobs reach placement; an invalid one weighs nothing
        }
    }
}
