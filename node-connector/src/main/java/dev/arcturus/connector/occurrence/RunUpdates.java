package dev.arcturus.connector.occurrence;

import dev.arcturus.connector.journal.RunJournal;
import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.UpdateRunRequest;
import dev.arcturus.gateway.client.Timestamps;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** Builds the run updates an occurrence reports: which timestamps each status carries. */
public final class RunUpdates {
    /** Statuses after which a run never changes again. */
    public static final Set<RunStatus> FINAL = RunJournal.FINAL;

    private RunUpdates() {
    }

    /** One step of run {@code runId} of {@code jobId} on {@code nodeId}, stamped at {@code now}. */
    public static UpdateRunRequest.Builder step(final RunKey run, final RunStatus status, final String message,
                                                final Instant now) {
        final UpdateRunRequest.Builder update = UpdateRunRequest.newBuilder().setRunId(run.runId())
                .setServerSide(run.serverSide()).setJobId(run.jobId()).setNodeId(run.nodeId())
                .setScheduledAt(Timestamps.of(run.scheduledAt())).setStatus(status)
                .setStatusMessage(message == null ? "" : message);
        if (status == RunStatus.DEPLOYING) {
            update.setStartedAt(Timestamps.of(now));
        }
        if (FINAL.contains(status)) {
            update.setEndedAt(Timestamps.of(now));
        }
        return update;
    }

    /** A final step with the container's exit code (when it exited by itself) and the artifact's URL. */
    public static UpdateRunRequest ended(final RunKey run, final RunStatus status, final String message,
                                         final Integer exitCode, final String artifactUrl, final Instant now) {
        final UpdateRunRequest.Builder update = step(run, status, message, now).setArtifactUrl(artifactUrl);
        if (exitCode != null) {
            update.setExitCode(exitCode).setHasExitCode(true);
        }
        return update.build();
    }

    /** A SKIPPED step with the telemetry the trigger read. */
    public static UpdateRunRequest skipped(final RunKey run, final String verdict, final Map<String, Double> seen,
                                           final Instant now) {
        return step(run, RunStatus.SKIPPED, verdict, now).putAllTriggerValues(seen).build();
    }
}
