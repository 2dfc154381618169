package dev.arcturus.gateway.api;

import dev.arcturus.avro.JobState;
import dev.arcturus.avro.Task;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.gateway.api.v1.Assignment;
import dev.arcturus.gateway.api.v1.GetTasksRequest;
import dev.arcturus.gateway.api.v1.GetTasksResponse;
import dev.arcturus.gateway.api.v1.ScheduleTaskRequest;
import dev.arcturus.gateway.api.v1.TaskServiceGrpc;
import dev.arcturus.gateway.api.v1.TaskStatus;
import dev.arcturus.gateway.api.v1.TaskType;
import dev.arcturus.gateway.api.v1.UpdateTaskRequest;
import dev.arcturus.gateway.api.v1.WatchRequest;
import dev.arcturus.gateway.auth.Caller;
import dev.arcturus.gateway.auth.Principal;
import dev.arcturus.gateway.mapping.Protos;
import dev.arcturus.gateway.mapping.Visibility;
import dev.arcturus.gateway.watch.Watches;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.stub.StreamObserver;
import java.util.Comparator;

/** Server-side tasks (tasks.proto) and a node's pushed assignments. */
public final class TaskApi extends TaskServiceGrpc.TaskServiceImplBase {
    static final int DEFAULT_TTL_SECONDS = 300;
    static final int MAX_TTL_SECONDS = 31 * 24 * 3600;

    private final Plane plane;
    private final Watches watches;

    public TaskApi(final Plane plane, final Watches watches) {
        this.plane = plane;
        this.watches = watches;
    }

    @Override
    public void scheduleTask(final ScheduleTaskRequest request,
                             final StreamObserver<dev.arcturus.gateway.api.v1.Task> response) {
        Handlers.unary(response, () -> {
            final Principal caller = Caller.current();
            final String taskId = Requests.requireId("task_id", request.getTaskId());
            final String jobId = Requests.requireId("job_id", request.getJobId());
            final String nodeId = Requests.requireId("node_id", request.getNodeId());
            final String runId = Requests.requireId("run_id", request.getRunId());
            if (request.getType() != TaskType.SERVER_START && request.getType() != TaskType.SERVER_STOP) {
                throw Requests.invalid("type", "SERVER_START or SERVER_STOP, was " + request.getType());
            }
            if (request.getTtlSeconds() < 0 || request.getTtlSeconds() > MAX_TTL_SECONDS) {
                throw Requests.invalid("ttl_seconds", "0 (default " + DEFAULT_TTL_SECONDS + ") to " + MAX_TTL_SECONDS);
            }
            final JobState job = plane.view().get(TopicCatalog.JOB_STATE, jobId)
                    .orElseThrow(() -> Requests.notFound("job", jobId));
            // Only the job's client node may ask its server node to act, and only that server node (LEOScope let
            // anyone make any node start any job's image).
            if (!caller.isAdmin() && !(caller.isNode() && Visibility.isClient(job, caller.id()))) {
                throw Caller.denied("only job " + jobId + "'s client node or ADMIN schedules its server tasks");
            }
            if (!nodeId.equals(job.getSpec().getServerNodeId())) {
                throw Requests.invalid("node_id", "must be job " + jobId + "'s server node ("
                        + job.getSpec().getServerNodeId() + ")");
            }
            if (plane.view().get(TopicCatalog.TASK, taskId).isPresent()) {
                throw Requests.exists("task", taskId);
            }
            final int ttl = request.getTtlSeconds() == 0 ? DEFAULT_TTL_SECONDS : request.getTtlSeconds();
            final Task task = Task.newBuilder().setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock()))
                    .setTaskId(taskId).setType(dev.arcturus.avro.TaskType.valueOf(request.getType().name()))
                    .setStatus(dev.arcturus.avro.TaskStatus.SCHEDULED).setRunId(runId).setJobId(jobId)
                    .setNodeId(nodeId).setTtlSeconds(ttl).setExpiresAt(plane.clock().instant().plusSeconds(ttl)).build();
            plane.writer().write(TopicCatalog.TASK, taskId, task);
            return Protos.task(task);
        });
    }

    @Override
    public void getTasks(final GetTasksRequest request, final StreamObserver<GetTasksResponse> response) {
        Handlers.unary(response, () -> {
            final Principal caller = Caller.current();
            return GetTasksResponse.newBuilder().addAllTasks(plane.view().all(TopicCatalog.TASK).stream()
                    .filter(task -> visible(caller, task))
                    .filter(task -> matches(request.getTaskId(), task.getTaskId()))
                    .filter(task -> matches(request.getRunId(), task.getRunId()))
                    .filter(task -> matches(request.getJobId(), task.getJobId()))
                    .filter(task -> matches(request.getNodeId(), task.getNodeId()))
                    // Both filters work, unlike LEOScope's get_tasks which ignored them.
                    .filter(task -> request.getType() == TaskType.TASK_TYPE_UNSPECIFIED
                            || task.getType().name().equals(request.getType().name()))
                    .filter(task -> request.getStatus() == TaskStatus.TASK_STATUS_UNSPECIFIED
                            || Protos.taskStatus(task.getStatus()) == request.getStatus())
                    .sorted(Comparator.comparing(Task::getTaskId))
                    .map(Protos::task).toList()).build();
        });
    }

    private boolean visible(final Principal caller, final Task task) {
        if (caller.isAdmin() || caller.id().equals(task.getNodeId())) {
            return true;
        }
        return plane.view().get(TopicCatalog.JOB_STATE, task.getJobId())
                .map(job -> Visibility.canSee(caller, job)).orElse(false);
    }

    private static boolean matches(final String filter, final String value) {
        return filter.isEmpty() || filter.equals(value);
    }

    @Override
    public void updateTask(final UpdateTaskRequest request,
                           final StreamObserver<dev.arcturus.gateway.api.v1.Task> response) {
        Handlers.unary(response, () -> {
            final String taskId = Requests.requireId("task_id", request.getTaskId());
            final Task task = plane.view().get(TopicCatalog.TASK, taskId).map(t -> Task.newBuilder(t).build())
                    .orElseThrow(() -> Requests.notFound("task", taskId));
            Caller.requireNodeItselfOrAdmin(task.getNodeId());
            if (request.getStatus() == TaskStatus.TASK_STATUS_UNSPECIFIED || request.getStatus() == TaskStatus.UNRECOGNIZED) {
                throw Requests.invalid("status", "required");
            }
            task.setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock()));
            task.setStatus(Protos.taskStatus(request.getStatus()));
            plane.writer().write(TopicCatalog.TASK, taskId, task);
            return Protos.task(task);
        });
    }

    @Override
    public void watchAssignments(final WatchRequest request, final StreamObserver<Assignment> response) {
        final String nodeId;
        try {
            nodeId = Requests.requireId("node_id", request.getNodeId());
            Caller.requireNodeItselfOrAdmin(nodeId);
        } catch (final io.grpc.StatusRuntimeException e) {
            response.onError(e);
            return;
        }
        watches.assignments(nodeId, response);
    }
}
