package dev.arcturus.runs;

import dev.arcturus.avro.RunState;
import dev.arcturus.avro.RunStatus;
import dev.arcturus.avro.RunUpdate;
import dev.arcturus.scheduling.runs.RunLifecycle;
import java.util.Objects;
import java.util.Set;

/**
 * How a run update changes a run's state. Statuses only move forward: once a run is final (COMPLETED, FAILED, …) a
 * late or re-delivered progress report cannot reopen it, and the same update applied twice changes nothing.
 */
public final class RunStateRules {
    static final Set<RunStatus> FINAL = RunLifecycle.FINAL;

    private RunStateRules() {
    }

    /**
     * The next state, or null when the update changes nothing (a duplicate, or progress after the end).
     *
     * @param owner the run's owner as its job says ({@link RunOwners}), never the record's
     */
    public static RunState apply(final RunState current, final RunUpdate update, final String owner) {
        if (current != null && update.getMetadata().getEventId().equals(current.getMetadata().getEventId())) {
            return null;
        }
        if (current != null && FINAL.contains(current.getStatus())) {
            return null;
        }
        if (current != null && rank(update.getStatus()) < rank(current.getStatus())) {
            return null;
        }
        if (current != null && repeats(current, update)) {
            return null; // the same report again under a new event id (a retry): it changes nothing
        }
        return RunState.newBuilder()
                .setMetadata(update.getMetadata())
                .setRunId(update.getRunId())
                .setJobId(update.getJobId())
                .setNodeId(update.getNodeId())
                .setOwnerId(owner)
                .setScheduledAt(update.getScheduledAt())
                .setStatus(update.getStatus())
                .setStatusMessage(update.getStatusMessage())
                .setStartedAt(update.getStartedAt() != null ? update.getStartedAt()
                        : current == null ? null : current.getStartedAt())
                .setEndedAt(update.getEndedAt())
                .setLastUpdated(update.getMetadata().getOccurredAt())
                .setExitCode(update.getExitCode())
                .setArtifactBlob(update.getArtifactBlob() != null ? update.getArtifactBlob()
                        : current == null ? null : current.getArtifactBlob())
                .setUpdateCount(current == null ? 1 : current.getUpdateCount() + 1)
                .build();
    }

    /** Whether the update says nothing the run does not already say. */
    private static boolean repeats(final RunState current, final RunUpdate update) {
        return update.getStatus() == current.getStatus()
                && Objects.equals(update.getStatusMessage(), current.getStatusMessage())
                && Objects.equals(update.getExitCode(), current.getExitCode())
                && (update.getStartedAt() == null || update.getStartedAt().equals(current.getStartedAt()))
                && Objects.equals(update.getEndedAt(), current.getEndedAt())
                && (update.getArtifactBlob() == null || update.getArtifactBlob().equals(current.getArtifactBlob()));
    }

    /** Progress order: scheduled, deploying, executing, finishing, then any final status. */
    private static int rank(final RunStatus status) {
        return switch (status) {
            case SCHEDULED -> 1;
            case DEPLOYING -> 2;
            case EXECUTING -> 3;
            case FINISHING -> 4;
            default -> FINAL.contains(status) ? 5 : 0;
        };
    }
}
