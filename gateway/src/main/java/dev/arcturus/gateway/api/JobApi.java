package dev.arcturus.gateway.api;

import dev.arcturus.avro.JobKind;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.avro.JobState;
import dev.arcturus.gateway.api.v1.DeleteJobRequest;
import dev.arcturus.gateway.api.v1.DeleteJobsOnNodeRequest;
import dev.arcturus.gateway.api.v1.GetJobRequest;
import dev.arcturus.gateway.api.v1.GetScheduledRunsRequest;
import dev.arcturus.gateway.api.v1.GetScheduledRunsResponse;
import dev.arcturus.gateway.api.v1.Job;
import dev.arcturus.gateway.api.v1.JobDecision;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.ListJobsRequest;
import dev.arcturus.gateway.api.v1.ListJobsResponse;
import dev.arcturus.gateway.api.v1.ModifyJobRequest;
import dev.arcturus.gateway.api.v1.RescheduleNearestRequest;
import dev.arcturus.gateway.api.v1.ScheduleJobRequest;
import dev.arcturus.gateway.api.v1.ScheduledRun;
import dev.arcturus.gateway.api.v1.WatchRequest;
import dev.arcturus.gateway.auth.Caller;
import dev.arcturus.gateway.auth.Principal;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.gateway.mapping.Protos;
import dev.arcturus.gateway.mapping.Visibility;
import dev.arcturus.gateway.watch.Watches;
import dev.arcturus.scheduling.schedule.InvalidScheduleException;
import dev.arcturus.scheduling.schedule.JobRuns;
import dev.arcturus.scheduling.schedule.JobSpecs;
import dev.arcturus.topics.JobIds;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Experiment jobs (jobs.proto): writes through admission, reads from the view. */
public final class JobApi extends JobServiceGrpc.JobServiceImplBase {
    static final Duration MAX_CALENDAR_RANGE = Duration.ofDays(31);

    private final Plane plane;
    private final JobCommands commands;
    private final Watches watches;

    public JobApi(final Plane plane, final Watches watches) {
        this.plane = plane;
        this.commands = new JobCommands(plane);
        this.watches = watches;
    }

    @Override
    public void scheduleJob(final ScheduleJobRequest request, final StreamObserver<JobDecision> response) {
        Handlers.unary(response, () -> {
            final Principal caller = Caller.requireUserOrAdmin();
            final JobSpec spec = JobRequests.fromRequest(withId(request.getJob()), caller.id());
            requireRegisteredNodes(spec);
            if (plane.view().get(TopicCatalog.JOB_STATE, spec.getJobId()).isPresent()) {
                throw Requests.exists("job", spec.getJobId());
            }
            if (spec.getSelector() != null) {
                return commands.place(spec, caller.id());
            }
            return commands.send(JobRequest.schedule(spec, caller.id()));
        });
    }

    /**
     * A job on a named node may leave its id to the plane: the id made up shares the node's partition, so admission
     * decides it in one hop (JobIds). The decision names it.
     */
    private static dev.arcturus.gateway.api.v1.JobSpec withId(final dev.arcturus.gateway.api.v1.JobSpec job) {
        if (!job.getId().isEmpty() || job.getNodeId().isEmpty() || job.hasSelector()) {
            return job;
        }
        return job.toBuilder().setId(JobIds.mintFor(job.getNodeId(), ThreadLocalRandom.current())).build();
    }

    @Override
    public void modifyJob(final ModifyJobRequest request, final StreamObserver<JobDecision> response) {
        Handlers.unary(response, () -> {
            final Principal caller = Caller.requireUserOrAdmin();
            final JobState current = owned(caller, Requests.requireId("job.id", request.getJob().getId()));
            final JobSpec requested = JobRequests.fromRequest(request.getJob(), current.getSpec().getOwner());
            final JobSpec spec = keepPlacement(current, requested);
            requireRegisteredNodes(spec);
            // A placed job may be moved by placement at any moment: modify the version we read, or be told it changed.
            final Long expectedVersion = spec.getSelector() != null ? current.getVersion() : null;
            return commands.send(JobRequest.modify(spec, caller.id(), expectedVersion));
        });
    }

    @Override
    public void deleteJob(final DeleteJobRequest request, final StreamObserver<JobDecision> response) {
        Handlers.unary(response, () -> {
            final Principal caller = Caller.requireUserOrAdmin();
            final String id = owned(caller, Requests.requireId("id", request.getId())).getJobId();
            return commands.send(JobRequest.delete(id, caller.id()));
        });
    }

    @Override
    public void deleteJobsOnNode(final DeleteJobsOnNodeRequest request, final StreamObserver<JobDecision> response) {
        Handlers.unary(response, () -> {
            final Principal caller = Caller.requireAdmin();
            final String nodeId = Requests.requireId("node_id", request.getNodeId());
            return commands.send(JobRequest.deleteAllOnNode(nodeId, caller.id()));
        });
    }

    @Override
    public void rescheduleNearest(final RescheduleNearestRequest request, final StreamObserver<JobDecision> response) {
        Handlers.unary(response, () -> {
            final Principal caller = Caller.current();
            final String id = Requests.requireId("id", request.getId());
            final JobState job = plane.view().get(TopicCatalog.JOB_STATE, id)
                    .orElseThrow(() -> Requests.notFound("job", id));
            // Its owner, ADMIN, or the node it runs on: a node in scavenger mode moves its one-shot jobs away.
            if (!caller.isAdmin() && !caller.id().equals(job.getSpec().getOwner()) && !Visibility.runsOn(caller, job)) {
                throw Caller.denied("job " + id + " belongs to another user and does not run on this node");
            }
            if (job.getSpec().getKind() != JobKind.ONE_SHOT) {
                throw Status.FAILED_PRECONDITION.withDescription("id: only ONE_SHOT jobs can be rescheduled to the "
                        + "nearest free slot; job " + job.getJobId() + " is " + job.getSpec().getKind())
                        .asRuntimeException();
            }
            final Instant notBefore = request.hasNotBefore() ? Timestamps.instant(request.getNotBefore())
                    : plane.clock().instant();
            return commands.send(JobRequest.rescheduleNearest(job.getJobId(), caller.id(), notBefore));
        });
    }

    @Override
    public void getJob(final GetJobRequest request, final StreamObserver<Job> response) {
        Handlers.unary(response, () -> {
            final Principal caller = Caller.current();
            final String id = Requests.requireId("id", request.getId());
            final JobState job = plane.view().get(TopicCatalog.JOB_STATE, id)
                    .orElseThrow(() -> Requests.notFound("job", id));
            if (!Visibility.canSee(caller, job)) {
                throw Caller.denied("job " + id + " belongs to another user");
            }
            return Protos.job(job);
        });
    }

    @Override
    public void listJobs(final ListJobsRequest request, final StreamObserver<ListJobsResponse> response) {
        Handlers.unary(response, () -> {
            final Principal caller = Caller.current();
            final String owner = listOwner(caller, request.getOwnerId());
            final String node = request.getNodeId().isEmpty() ? null : Requests.requireId("node_id", request.getNodeId());
            if (caller.isNode() && !caller.id().equals(node)) {
                throw Caller.denied("a node lists only its own jobs: set node_id to " + caller.id());
            }
            final List<JobState> matching = plane.view().all(TopicCatalog.JOB_STATE).stream()
                    .filter(job -> owner == null || owner.equals(job.getSpec().getOwner()))
                    .filter(job -> node == null || Visibility.onNode(job, node))
                    .sorted(Comparator.comparing(JobState::getJobId)).toList();
            final Paging.Page<JobState> page = Paging.page(matching, JobState::getJobId, request.getPage());
            return ListJobsResponse.newBuilder().addAllJobs(page.items().stream().map(Protos::job).toList())
                    .setNextPageToken(page.nextPageToken()).build();
        });
    }

    /** ADMIN may list anyone's (or everyone's) jobs; a user only its own; a node lists by node. */
    private static String listOwner(final Principal caller, final String requested) {
        if (caller.isAdmin()) {
            return requested.isEmpty() ? null : requested;
        }
        if (caller.isNode()) {
            if (!requested.isEmpty()) {
                throw Caller.denied("a node lists jobs by node_id, not by owner");
            }
            return null;
        }
        if (!requested.isEmpty() && !requested.equals(caller.id())) {
            throw Caller.denied("users list only their own jobs");
        }
        return caller.id();
    }

    @Override
    public void getScheduledRuns(final GetScheduledRunsRequest request,
                                 final StreamObserver<GetScheduledRunsResponse> response) {
        Handlers.unary(response, () -> {
            final Principal caller = Caller.current();
            final String node = Requests.requireId("node_id", request.getNodeId());
            if (!request.hasRange() || !request.getRange().hasStart() || !request.getRange().hasEnd()) {
                throw Requests.invalid("range", "start and end are required");
            }
            final Instant from = Timestamps.instant(request.getRange().getStart());
            final Instant to = Timestamps.instant(request.getRange().getEnd());
            if (!to.isAfter(from) || Duration.between(from, to).compareTo(MAX_CALENDAR_RANGE) > 0) {
                throw Requests.invalid("range", "end must be after start and at most " + MAX_CALENDAR_RANGE.toDays()
                        + " days later");
            }
            final List<ScheduledRun> runs = new ArrayList<>();
            for (final JobState job : plane.view().all(TopicCatalog.JOB_STATE)) {
                if (Visibility.onNode(job, node)) {
                    runs.addAll(calendar(caller, job, node, from, to));
                }
            }
            runs.sort(Comparator.comparing((ScheduledRun r) -> Timestamps.instant(r.getStart())).thenComparing(ScheduledRun::getJobId));
            final Paging.Page<ScheduledRun> page = Paging.page(runs,
                    r -> String.format("%020d|%s", Timestamps.instant(r.getStart()).toEpochMilli(), r.getJobId()),
                    request.getPage());
            return GetScheduledRunsResponse.newBuilder().addAllRuns(page.items())
                    .setNextPageToken(page.nextPageToken()).build();
        });
    }

    /** One job's runs in the range; other users see that the slot is busy, not whose job it is. */
    private static List<ScheduledRun> calendar(final Principal caller, final JobState job, final String node,
                                               final Instant from, final Instant to) {
        final JobRuns expanded;
        try {
            expanded = JobSpecs.expand(job.getSpec());
        } catch (final InvalidScheduleException e) {
            return List.of(); // admitted jobs always expand; a stale invalid one shows nothing
        }
        final String shownId = Visibility.canSee(caller, job) ? job.getJobId() : "(busy)";
        final List<ScheduledRun> runs = new ArrayList<>();
        for (final long start : expanded.startsOverlapping(from.toEpochMilli(), to.toEpochMilli())) {
            runs.add(ScheduledRun.newBuilder().setJobId(shownId).setNodeId(node)
                    .setStart(Timestamps.of(Instant.ofEpochMilli(start)))
                    .setEnd(Timestamps.of(Instant.ofEpochMilli(start + expanded.lengthMillis())))
                    .setExclusive(job.getSpec().getExclusive())
                    .setServerSide(node.equals(job.getSpec().getServerNodeId())).build());
        }
        return runs;
    }

    @Override
    public void watchJobEvents(final WatchRequest request,
                               final StreamObserver<dev.arcturus.gateway.api.v1.JobEvent> response) {
        final Principal caller = Caller.current();
        watches.jobEvents(caller, request, response);
    }

    @Override
    public void watchPlacementActions(final WatchRequest request,
                                      final StreamObserver<dev.arcturus.gateway.api.v1.PlacementEvent> response) {
        watches.placementActions(Caller.current(), request, response);
    }

    private JobState owned(final Principal caller, final String jobId) {
        final JobState job = plane.view().get(TopicCatalog.JOB_STATE, jobId)
                .orElseThrow(() -> Requests.notFound("job", jobId));
        if (!caller.isAdmin() && !caller.id().equals(job.getSpec().getOwner())) {
            throw Caller.denied("job " + jobId + " belongs to another user");
        }
        return job;
    }

    /** A placed job keeps its nodes through a modification; its selector can't change (placement chose by it). */
    private static JobSpec keepPlacement(final JobState current, final JobSpec requested) {
        final dev.arcturus.avro.NodeSelector was = current.getSpec().getSelector();
        if (was == null && requested.getSelector() == null) {
            return requested;
        }
        if (was == null || !was.equals(requested.getSelector())) {
            throw Requests.invalid("job.selector", "a placed job keeps its selector, and a pinned job can't become a placed one; delete the "
                    + "job and schedule it again");
        }
        return JobSpec.newBuilder(requested).setPlacedNodeIds(current.getSpec().getPlacedNodeIds()).build();
    }

    private void requireRegisteredNodes(final JobSpec spec) {
        if (spec.getTargetNodeId() != null
                && plane.view().get(TopicCatalog.NODE_REGISTRATION, spec.getTargetNodeId()).isEmpty()) {
            throw Requests.invalid("job.node_id", "node '" + spec.getTargetNodeId() + "' is not registered");
        }
        if (spec.getServerNodeId() != null
                && plane.view().get(TopicCatalog.NODE_REGISTRATION, spec.getServerNodeId()).isEmpty()) {
            throw Requests.invalid("job.server_node_id", "node '" + spec.getServerNodeId() + "' is not registered");
        }
    }
}
