package dev.arcturus.connector.occurrence;

import dev.arcturus.gateway.api.v1.Job;
import java.time.Instant;

/**
 * Which run a report is about: an occurrence is identified by (job, scheduled time, node), so its run id is
 * deterministic and a restarted connector, or a retried report, names the same run.
 */
public record RunKey(String runId, String jobId, String nodeId, Instant scheduledAt, boolean serverSide) {

    /**
     * A run is identified by its job and scheduled time; a placed job runs on several nodes at the same times, so its
     * runs also name the node.
     */
    public static RunKey of(final Job job, final String nodeId, final Instant scheduledAt) {
        final String jobId = job.getSpec().getId();
        final String runId = job.getSpec().hasSelector() ? jobId + "-" + nodeId + "-" + scheduledAt.getEpochSecond()
                : jobId + "-" + scheduledAt.getEpochSecond();
        return new RunKey(runId, jobId, nodeId, scheduledAt, false);
    }

    /** The server side of run {@code clientRunId} ({@code <run>-server}), started by a server task at {@code now}. */
    public static RunKey serverSideOf(final String clientRunId, final String jobId, final String nodeId,
                                      final Instant now) {
        return new RunKey(clientRunId + "-server", jobId, nodeId, now, true);
    }
}
