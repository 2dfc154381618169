package dev.arcturus.connector;

import dev.arcturus.gateway.api.v1.ScheduleTaskRequest;
import dev.arcturus.gateway.api.v1.Task;
import dev.arcturus.gateway.api.v1.TaskServiceGrpc;
import dev.arcturus.gateway.api.v1.TaskStatus;
import dev.arcturus.gateway.api.v1.TaskType;
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
 * The client side of server tasks: asks a job's server node to start (or stop) its side, and waits for the task to
 * complete — learnt from the pushed assignment stream within milliseconds, not by polling.
 */
final class ServerTasks {
    private final TaskServiceGrpc.TaskServiceBlockingStub tasks;
    private final Map<String, CompletableFuture<Task>> awaited = new ConcurrentHashMap<>();

    ServerTasks(final TaskServiceGrpc.TaskServiceBlockingStub tasks) {
        this.tasks = tasks;
    }

    /** Sends the task (idempotent: a retried send of the same task id is accepted as already there). */
    CompletableFuture<Task> send(final TaskType type, final String taskId, final String runId, final String jobId,
                                 final String serverNode, final Duration ttl) {
        final CompletableFuture<Task> done = awaited.computeIfAbsent(taskId, id -> new CompletableFuture<>());
        try {
            tasks.scheduleTask(ScheduleTaskRequest.newBuilder().setTaskId(taskId).setType(type).setRunId(runId)
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
    void observed(final Task task) {
        if (task.getStatus() != TaskStatus.TASK_SCHEDULED) {
            final CompletableFuture<Task> waiting = awaited.remove(task.getTaskId());
            if (waiting != null) {
                waiting.complete(task);
            }
        }
    }
}
