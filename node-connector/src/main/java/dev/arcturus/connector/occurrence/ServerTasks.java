package dev.arcturus.connector.occurrence;

import dev.arcturus.gateway.api.v1.GetNodesRequest;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.ScheduleTaskRequest;
import dev.arcturus.gateway.api.v1.Task;
import dev.arcturus.gateway.api.v1.TaskServiceGrpc;
import dev.arcturus.gateway.api.v1.TaskStatus;
import dev.arcturus.gateway.api.v1.TaskType;
import dev.arcturus.gateway.api.v1.UpdateTaskRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server-task protocol as a node speaks it: a client asks a job's server node to start (or stop) its side and
 * waits for the task to complete — learnt from the pushed assignment stream within milliseconds, not by polling; a
 * server completes or fails the tasks sent to it.
 */
public final class ServerTasks {
    private static final long CALL_DEADLINE_S = 10;
    private final TaskServiceGrpc.TaskServiceBlockingStub tasks;
    private final NodeServiceGrpc.NodeServiceBlockingStub nodes;
    private final Map<String, CompletableFuture<Task>> awaited = new ConcurrentHashMap<>();

    public ServerTasks(final TaskServiceGrpc.TaskServiceBlockingStub tasks,
                       final NodeServiceGrpc.NodeServiceBlockingStub nodes) {
        this.tasks = tasks;
        this.nodes = nodes;
    }

    /** The address a client reaches the server node at: its public IP, else its registered one. */
    String serverAddress(final String server) {
        return nodes().getNodes(GetNodesRequest.newBuilder().setId(server).build()).getNodesList().stream().findFirst()
                .map(n -> n.getPublicIp().isEmpty() ? n.getIp() : n.getPublicIp()).orElse("");
    }

    private TaskServiceGrpc.TaskServiceBlockingStub tasks() {
        return tasks.withDeadlineAfter(CALL_DEADLINE_S, TimeUnit.SECONDS);
    }

    private NodeServiceGrpc.NodeServiceBlockingStub nodes() {
        return nodes.withDeadlineAfter(CALL_DEADLINE_S, TimeUnit.SECONDS);
    }

    /** The server's side is running (or, for SERVER_STOP, stopped). */
    void complete(final Task task) {
        tasks().updateTask(UpdateTaskRequest.newBuilder().setTaskId(task.getTaskId())
                .setStatus(TaskStatus.TASK_COMPLETE).build());
    }

    /** The server's side could not start: the waiting client learns at once. */
    void fail(final Task task) {
        tasks().updateTask(UpdateTaskRequest.newBuilder().setTaskId(task.getTaskId())
                .setStatus(TaskStatus.TASK_FAILED).build());
    }

    /** Sends the task (idempotent: a retried send of the same task id is accepted as already there). */
    CompletableFuture<Task> send(final TaskType type, final String taskId, final String runId, final String jobId,
                                 final String serverNode, final Duration ttl) {
        final CompletableFuture<Task> done = awaited.computeIfAbsent(taskId, id -> new CompletableFuture<>());
        try {
            tasks().scheduleTask(ScheduleTaskRequest.newBuilder().setTaskId(taskId).setType(type).setRunId(runId)
                    .setJobId(jobId).setNodeId(serverNode).setTtlSeconds((int) ttl.toSeconds()).build());
        } catch (final StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                awaited.remove(taskId);
                throw e;
            }
        }
        return done;
    }

    /** Waits for the server node to complete the task; false on failure, expiry or timeout. */
    boolean await(final CompletableFuture<Task> task, final Duration timeout) {
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS).getStatus() == TaskStatus.TASK_COMPLETE;
        } catch (final TimeoutException | ExecutionException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A pushed task update: completes whoever waits for it once it is no longer scheduled. */
    public void observed(final Task task) {
        if (task.getStatus() != TaskStatus.TASK_SCHEDULED) {
            final CompletableFuture<Task> waiting = awaited.remove(task.getTaskId());
            if (waiting != null) {
                waiting.complete(task);
            }
        }
    }
}
