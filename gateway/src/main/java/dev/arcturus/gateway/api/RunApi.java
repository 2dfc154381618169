package dev.arcturus.gateway.api;

import dev.arcturus.avro.GlobalConfig;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.RunState;
import dev.arcturus.avro.RunStatus;
import dev.arcturus.avro.RunUpdate;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.gateway.api.v1.ArtifactUrl;
import dev.arcturus.gateway.api.v1.GetArtifactDownloadUrlRequest;
import dev.arcturus.gateway.api.v1.GetArtifactUploadUrlRequest;
import dev.arcturus.gateway.api.v1.GetRunsRequest;
import dev.arcturus.gateway.api.v1.GetRunsResponse;
import dev.arcturus.gateway.api.v1.RunEvent;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.api.v1.UpdateRunRequest;
import dev.arcturus.gateway.api.v1.UpdateRunResponse;
import dev.arcturus.gateway.api.v1.WatchRequest;
import dev.arcturus.gateway.artifacts.ArtifactStore;
import dev.arcturus.gateway.auth.Caller;
import dev.arcturus.gateway.auth.Principal;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.gateway.mapping.Protos;
import dev.arcturus.gateway.mapping.Visibility;
import dev.arcturus.gateway.runs.RunQuery;
import dev.arcturus.gateway.runs.RunStore;
import dev.arcturus.gateway.watch.Watches;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Runs (runs.proto): nodes report, everyone reads what they may see. */
public final class RunApi extends RunServiceGrpc.RunServiceImplBase {
    private static final Duration JOB_ARRIVAL_GRACE = Duration.ofMillis(500);
    private final Plane plane;
    private final Watches watches;

    public RunApi(final Plane plane, final Watches watches) {
        this.plane = plane;
        this.watches = watches;
    }

    @Override
    public void updateRun(final UpdateRunRequest request, final StreamObserver<UpdateRunResponse> response) {
        Handlers.unary(response, () -> {
            final String nodeId = Requests.requireId("node_id", request.getNodeId());
            final Principal caller = Caller.requireNodeItselfOrAdmin(nodeId);
            final String runId = Requests.requireId("run_id", request.getRunId());
            final String jobId = Requests.requireId("job_id", request.getJobId());
            if (request.getStatus() == dev.arcturus.gateway.api.v1.RunStatus.RUN_STATUS_UNSPECIFIED
                    || request.getStatus() == dev.arcturus.gateway.api.v1.RunStatus.UNRECOGNIZED) {
                throw Requests.invalid("status", "required");
            }
            if (!request.hasScheduledAt()) {
                throw Requests.invalid("scheduled_at", "required");
            }
            final JobState job = jobOnNode(caller, jobId, nodeId);
            // The owner comes from the job, never from the report, so a node cannot attribute runs to others.
            final RunUpdate update = RunUpdate.newBuilder()
                    .setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock()))
                    .setRunId(runId).setJobId(jobId).setNodeId(nodeId).setOwnerId(job.getSpec().getOwner())
                    .setScheduledAt(Timestamps.instant(request.getScheduledAt())).setServerSide(request.getServerSide())
                    .setStatus(RunStatus.valueOf(request.getStatus().name()))
                    .setStatusMessage(Requests.optionalText("status_message", request.getStatusMessage()))
                    .setStartedAt(request.hasStartedAt() ? Timestamps.instant(request.getStartedAt()) : null)
                    .setEndedAt(request.hasEndedAt() ? Timestamps.instant(request.getEndedAt()) : null)
                    .setExitCode(request.getHasExitCode() ? request.getExitCode() : null)
                    .setArtifactBlob(Requests.optionalText("artifact_url", request.getArtifactUrl()))
                    .setTriggerValues(new java.util.HashMap<>(request.getTriggerValuesMap())).build();
            plane.writer().send(TopicCatalog.RUN_UPDATE, runId, update);
            return UpdateRunResponse.newBuilder().setAccepted(true).build();
        });
    }

    @Override
    public void getRuns(final GetRunsRequest request, final StreamObserver<GetRunsResponse> response) {
        Handlers.unary(response, () -> {
            final Principal caller = Caller.current();
            final String owner = request.getOwnerId().isEmpty() ? null : request.getOwnerId();
            if (owner != null && caller.isUser() && !owner.equals(caller.id())) {
                throw Caller.denied("users see only their own runs");
            }
            final Instant from = request.hasScheduled() && request.getScheduled().hasStart()
                    ? Timestamps.instant(request.getScheduled().getStart()) : Instant.MIN;
            final Instant to = request.hasScheduled() && request.getScheduled().hasEnd()
                    ? Timestamps.instant(request.getScheduled().getEnd()) : Instant.MAX;
            if (!request.getRunId().isEmpty()) {
                return byRunId(caller, request, owner, from, to);
            }
            final int size = Paging.size(request.getPage().getPageSize());
            final String after = request.getPage().getPageToken().isEmpty() ? null
                    : Paging.decode(request.getPage().getPageToken());
            // A user's search always goes through the owner index: they see only their own runs.
            final String ownerFilter = owner != null ? owner : caller.isUser() ? caller.id() : "";
            final RunQuery query = new RunQuery(request.getJobId(), request.getNodeId(), ownerFilter, status(request),
                    from, to, Optional.ofNullable(after), size, run -> Visibility.canSee(caller, run));
            final RunStore.Page page;
            try {
                page = plane.view().runs().query(query);
            } catch (final IllegalArgumentException e) {
                throw Requests.invalid("page.page_token", "not a token returned by this RPC");
            }
            return GetRunsResponse.newBuilder().addAllRuns(page.runs().stream().map(Protos::run).toList())
                    .setNextPageToken(page.next().map(Paging::encode).orElse("")).build();
        });
    }

    /** One run by id (with the request's other filters applied to it, as a search would). */
    private GetRunsResponse byRunId(final Principal caller, final GetRunsRequest request, final String owner,
                                    final Instant from, final Instant to) {
        final RunQuery query = new RunQuery(request.getJobId(), request.getNodeId(), owner == null ? "" : owner,
                status(request), from, to, Optional.empty(), 1,
                run -> Visibility.canSee(caller, run, this::job));
        final GetRunsResponse.Builder response = GetRunsResponse.newBuilder();
        plane.view().runs().get(request.getRunId()).filter(query::matches).map(Protos::run).ifPresent(response::addRuns);
        return response.build();
    }

    private static RunStatus status(final GetRunsRequest request) {
        return request.getStatus() == dev.arcturus.gateway.api.v1.RunStatus.RUN_STATUS_UNSPECIFIED
                || request.getStatus() == dev.arcturus.gateway.api.v1.RunStatus.UNRECOGNIZED ? null
                : RunStatus.valueOf(request.getStatus().name());
    }

    @Override
    public void getArtifactUploadUrl(final GetArtifactUploadUrlRequest request,
                                     final StreamObserver<ArtifactUrl> response) {
        Handlers.unary(response, () -> {
            final String nodeId = Requests.requireId("node_id", request.getNodeId());
            final Principal caller = Caller.requireNodeItselfOrAdmin(nodeId);
            final String runId = Requests.requireId("run_id", request.getRunId());
            final String jobId = Requests.requireId("job_id", request.getJobId());
            if (!request.hasScheduledAt()) {
                throw Requests.invalid("scheduled_at", "required");
            }
            final JobState job = jobOnNode(caller, jobId, nodeId);
            final ArtifactStore store = store();
            final GlobalConfig config = plane.config();
            final String blob = ArtifactStore.blobName(config.getArtifactPathPrefix(), nodeId, jobId, runId,
                    Timestamps.instant(request.getScheduledAt()));
            final ArtifactStore.SignedUrl signed = store.uploadUrl(config.getArtifactContainer(), blob);
            return ArtifactUrl.newBuilder().setUrl(signed.url()).setExpiresAt(Timestamps.of(signed.expiresAt()))
                    .setBlobUrl(store.plainUrl(config.getArtifactContainer(), blob)).build();
        });
    }

    @Override
    public void getArtifactDownloadUrl(final GetArtifactDownloadUrlRequest request,
                                       final StreamObserver<ArtifactUrl> response) {
        Handlers.unary(response, () -> {
            final Principal caller = Caller.current();
            final String runId = Requests.requireId("run_id", request.getRunId());
            final RunState run = plane.view().get(TopicCatalog.RUN_STATE, runId)
                    .orElseThrow(() -> Requests.notFound("run", runId));
            if (!Visibility.canSee(caller, run, this::job)) {
                throw Caller.denied("run " + runId + " belongs to another user");
            }
            if (run.getArtifactBlob() == null) {
                throw Status.FAILED_PRECONDITION.withDescription("run_id: run " + runId + " has no artifact yet (status "
                        + run.getStatus() + ")").asRuntimeException();
            }
            final ArtifactStore store = store();
            final Plane.ArtifactLocation location = plane.artifactOf(run);
            final ArtifactStore.SignedUrl signed = store.downloadUrl(location.container(), location.blob(),
                    Duration.ofSeconds(plane.config().getArtifactLinkValiditySeconds()));
            return ArtifactUrl.newBuilder().setUrl(signed.url()).setExpiresAt(Timestamps.of(signed.expiresAt()))
                    .setBlobUrl(store.plainUrl(location.container(), location.blob())).build();
        });
    }

    private java.util.Optional<JobState> job(final String jobId) {
        return plane.view().get(TopicCatalog.JOB_STATE, jobId);
    }

    /** The job, which must run on the calling node (unless ADMIN calls). */
    private JobState jobOnNode(final Principal caller, final String jobId, final String nodeId) {
        // A node may have learnt of the job from another replica a moment before this one read it (after a
        // failover): wait briefly rather than refuse a report its agent would then drop for good.
        final JobState job = plane.view().get(TopicCatalog.JOB_STATE, jobId)
                .or(() -> plane.view().awaitEntity(TopicCatalog.JOB_STATE, jobId, java.util.Objects::nonNull,
                        JOB_ARRIVAL_GRACE))
                .orElseThrow(() -> Requests.notFound("job", jobId));
        if (!caller.isAdmin() && !Visibility.runsOn(caller, job)) {
            throw Caller.denied("job " + jobId + " does not run on node " + nodeId);
        }
        return job;
    }

    private ArtifactStore store() {
        return plane.artifacts().orElseThrow(() -> Status.FAILED_PRECONDITION.withDescription(
                "artifact storage is not configured on this gateway (" + ArtifactStore.CONNECTION_STRING_ENV + ")")
                .asRuntimeException());
    }

    @Override
    public void watchRuns(final WatchRequest request, final StreamObserver<RunEvent> response) {
        watches.runs(Caller.current(), request, response);
    }
}
