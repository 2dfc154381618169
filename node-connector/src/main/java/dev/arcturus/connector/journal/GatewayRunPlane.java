package dev.arcturus.connector.journal;

import dev.arcturus.connector.artifacts.RunArtifacts;
import dev.arcturus.gateway.api.v1.ArtifactUrl;
import dev.arcturus.gateway.api.v1.GetArtifactUploadUrlRequest;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.api.v1.UpdateRunRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's plane through the gateway: {@code UpdateRun}, and artifacts zipped and uploaded to the one-blob URL the
 * gateway signs for the run (a retried upload overwrites the same blob). Every call has a deadline, so a link that
 * goes silent fails the attempt instead of hanging it.
 */
public final class GatewayRunPlane implements RunOutbox.Plane {
    private static final Logger log = LoggerFactory.getLogger(GatewayRunPlane.class);
    private final RunServiceGrpc.RunServiceBlockingStub runs;
    private final Duration deadline;

    public GatewayRunPlane(final RunServiceGrpc.RunServiceBlockingStub runs, final Duration deadline) {
        this.runs = runs;
        this.deadline = deadline;
    }

    @Override
    public void updateRun(final UpdateRunRequest update) {
        runs.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).updateRun(update);
    }

    @Override
    public String publishArtifact(final UpdateRunRequest update, final Path runDir) {
        final ArtifactUrl url;
        try {
            url = runs.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).getArtifactUploadUrl(
                    GetArtifactUploadUrlRequest.newBuilder().setRunId(update.getRunId()).setJobId(update.getJobId())
                            .setNodeId(update.getNodeId()).setScheduledAt(update.getScheduledAt()).build());
        } catch (final StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION) {
                log.info("Run {}: the plane stores no artifacts ({})", update.getRunId(),
                        e.getStatus().getDescription());
                return "";
            }
            throw e;
        }
        final Path zip = runDir.resolveSibling(update.getRunId() + ".zip");
        RunArtifacts.upload(RunArtifacts.zip(runDir, zip), url.getUrl());
        return url.getBlobUrl();
    }
}
