package dev.arcturus.connector.occurrence;

import dev.arcturus.connector.executor.DockerExecutor;
import dev.arcturus.connector.executor.RunListener;
import dev.arcturus.connector.executor.RunOutcome;
import dev.arcturus.connector.executor.RunRequest;
import dev.arcturus.connector.journal.RunReporter;
import dev.arcturus.gateway.api.v1.Job;
import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.Task;
import dev.arcturus.gateway.api.v1.TaskStatus;
import dev.arcturus.gateway.api.v1.TaskType;
import dev.arcturus.scheduling.experiment.ExperimentConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node is a job's server: a SERVER_START task runs the server side ({@code <run>-server}, with
 * {@code ARCTURUS_SERVER=1}) and is completed once its container runs; it keeps running until the client's
 * SERVER_STOP (then COMPLETED) or its own time limit. Each task is handled once, however often it is pushed.
 */
public final class ServerSideRunner {
    private final String nodeId;
    private final DockerExecutor executor;
    private final Path workRoot;
    private final ServerTasks tasks;
    private final RunReporter reporter;
    private final Set<String> stoppedByClient = ConcurrentHashMap.newKeySet();
    private final Set<String> handled = ConcurrentHashMap.newKeySet();

    public ServerSideRunner(final String nodeId, final DockerExecutor executor, final Path workRoot,
                            final ServerTasks tasks, final RunReporter reporter) {
        this.nodeId = nodeId;
        this.executor = executor;
        this.workRoot = workRoot;
        this.tasks = tasks;
        this.reporter = reporter;
    }

    public void handle(final Job job, final Task task) {
        if (task.getStatus() != TaskStatus.TASK_SCHEDULED || !handled.add(task.getTaskId())
                || Instant.ofEpochSecond(task.getExpiresAt().getSeconds()).isBefore(Instant.now())) {
            return;
        }
        final RunKey run = RunKey.serverSideOf(task.getRunId(), job.getSpec().getId(), nodeId, Instant.now());
        if (task.getType() == TaskType.SERVER_STOP) {
            stoppedByClient.add(run.runId());
            executor.stop(run.runId());
            tasks.complete(task);
            return;
        }
        final ExperimentConfig experiment;
        try {
            experiment = ExperimentConfig.parse(job.getSpec().getConfig());
        } catch (final ExperimentConfig.InvalidExperimentException e) {
            tasks.fail(task);
            return;
        }
        final RunRequest request = new RunRequest(run.runId(), run.jobId(), nodeId, experiment,
                Duration.ofSeconds(job.getSpec().getLengthSeconds()).multipliedBy(2)
                        .plus(OccurrenceRunner.SERVER_START_TIMEOUT),
                workRoot.resolve(run.jobId()).resolve(run.runId()), Map.of("ARCTURUS_SERVER", "1"),
                job.getSpec().getConfig());
        final RunOutcome outcome = executor.run(request, new RunListener() {
            @Override
            public void deploying(final String message) {
                reporter.report(RunUpdates.step(run, RunStatus.DEPLOYING, message, Instant.now()).build());
            }

            @Override
            public void executing(final String containerId) {
                reporter.report(RunUpdates.step(run, RunStatus.EXECUTING, "server side running", Instant.now())
                        .build());
                tasks.complete(task);
            }
        });
        final boolean stopped = stoppedByClient.remove(run.runId());
        final RunStatus status = stopped || outcome.status() == RunOutcome.Status.COMPLETED ? RunStatus.COMPLETED
                : outcome.status() == RunOutcome.Status.TIMED_OUT ? RunStatus.TIMED_OUT : RunStatus.FAILED;
        reporter.finish(RunUpdates.ended(run, status, stopped ? "stopped after the client finished"
                : outcome.message(), outcome.exitCode(), "", Instant.now()), request.workDir());
        if (outcome.status() == RunOutcome.Status.FAILED && outcome.exitCode() == null) {
            tasks.fail(task); // never got running: tell the client at once
        }
    }
}
