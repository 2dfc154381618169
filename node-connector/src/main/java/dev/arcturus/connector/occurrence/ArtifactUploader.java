package dev.arcturus.connector.occurrence;

import dev.arcturus.connector.artifacts.RunArtifacts;
import dev.arcturus.gateway.api.v1.ArtifactUrl;
import dev.arcturus.gateway.api.v1.GetArtifactUploadUrlRequest;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.client.Timestamps;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a run's directory as its artifact: zipped, then uploaded to the one-blob URL the gateway signs for that
 * run (a retried upload overwrites the same blob).
 */
public final class ArtifactUploader {
    private static final Logger log = LoggerFactory.getLogger(ArtifactUploader.class);
    private final RunServiceGrpc.RunServiceBlockingStub runs;

    public ArtifactUploader(final RunServiceGrpc.RunServiceBlockingStub runs) {
        this.runs = runs;
    }

    /** Zips and uploads the run directory; returns the blob URL, or "" when the plane stores no artifacts. */
    public String upload(final RunKey run, final Path workDir) {
        final ArtifactUrl url;
        try {
            url = runs.getArtifactUploadUrl(GetArtifactUploadUrlRequest.newBuilder().setRunId(run.runId())
                    .setJobId(run.jobId()).setNodeId(run.nodeId()).setScheduledAt(Timestamps.of(run.scheduledAt()))
                    .build());
        } catch (final StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION) {
                log.info("Run {}: the plane stores no artifacts ({})", run.runId(), e.getStatus().getDescription());
                return "";
            }
            throw e;
        }
        final Path zip = workDir.resolveSibling(run.runId() + ".zip");
        RunArtifacts.upload(RunArtifacts.zip(workDir, zip), url.getUrl());
        return url.getBlobUrl();
    }
}
