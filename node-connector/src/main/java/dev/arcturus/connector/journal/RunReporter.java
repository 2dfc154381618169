package dev.arcturus.connector.journal;

import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.UpdateRunRequest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a run's steps go, and what is known of a run already. The occurrence runner only states facts; whether they
 * reach the plane at once or after an outage is the reporter's business.
 */
public interface RunReporter {

    /** Records one step of a run (idempotent per run id and status). */
    void report(UpdateRunRequest update);

    /**
     * Records a run's final step, whose artifact is the run directory {@code runDir}: it is published (zipped and
     * uploaded) before the step reaches the plane, and the step then carries its URL.
     */
    void finish(UpdateRunRequest update, Path runDir);

    /** The last status recorded for the run, if any: a run that ended is never started again. */
    Optional<RunStatus> lastStatus(String runId);
}
