package dev.arcturus.cli;

import dev.arcturus.gateway.api.v1.GetRunsRequest;
import dev.arcturus.gateway.api.v1.TimeRange;
import dev.arcturus.gateway.client.Timestamps;
import java.time.Instant;
import picocli.CommandLine.Option;

/** Which runs a command means: the filters {@code run get} and {@code run download} share; they combine. */
public final class RunFilter {
    @Option(names = "--runid", defaultValue = "")
    String runId;

    @Option(names = "--jobid", defaultValue = "")
    String jobId;

    @Option(names = "--nodeid", defaultValue = "")
    String nodeId;

    @Option(names = "--userid", defaultValue = "")
    String owner;

    @Option(names = "--from", description = "Scheduled at or after (ISO-8601).")
    Instant from;

    @Option(names = "--to", description = "Scheduled before (ISO-8601).")
    Instant to;

    /** Whether no filter was given. */
    boolean isEmpty() {
        return runId.isEmpty() && jobId.isEmpty() && nodeId.isEmpty() && owner.isEmpty() && from == null && to == null;
    }

    boolean byRunId() {
        return !runId.isEmpty();
    }

    String runId() {
        return runId;
    }

    /** The search, without its page. */
    GetRunsRequest.Builder request() {
        final TimeRange.Builder range = TimeRange.newBuilder();
        if (from != null) {
            range.setStart(Timestamps.of(from));
        }
        if (to != null) {
            range.setEnd(Timestamps.of(to));
        }
        return GetRunsRequest.newBuilder().setRunId(runId).setJobId(jobId).setNodeId(nodeId).setOwnerId(owner)
                .setScheduled(range);
    }
}
