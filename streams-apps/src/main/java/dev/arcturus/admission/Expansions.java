package dev.arcturus.admission;

import dev.arcturus.avro.JobSpec;
import dev.arcturus.scheduling.schedule.InvalidScheduleException;
import dev.arcturus.scheduling.schedule.JobRuns;
import dev.arcturus.scheduling.schedule.JobSpecs;

/**
 * The last spec expanded into runs, shared by the router (which validates a spec by expanding it) and the calendars
 * (which check and commit its runs): in a one-hop decision all three see the same spec, so it is expanded once
 * instead of twice. Single-threaded, like the task that owns it.
 */
final class Expansions {
    private JobSpec lastSpec;
    private JobRuns lastRuns;

    JobRuns runsOf(final JobSpec spec) throws InvalidScheduleException {
        if (lastRuns != null && (spec == lastSpec || spec.equals(lastSpec))) {
            return lastRuns;
        }
        final JobRuns runs = JobSpecs.expand(spec);
        lastSpec = spec;
        lastRuns = runs;
        return runs;
    }
}
