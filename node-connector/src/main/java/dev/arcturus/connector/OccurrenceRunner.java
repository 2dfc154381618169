package dev.arcturus.connector;

import dev.arcturus.connector.artifacts.RunArtifacts;
import dev.arcturus.connector.executor.DockerExecutor;
import dev.arcturus.connector.executor.ExperimentConfig;
import dev.arcturus.connector.executor.RunListener;
import dev.arcturus.connector.executor.RunOutcome;
import dev.arcturus.connector.executor.RunRequest;
import dev.arcturus.connector.kernel.KernelService;
import dev.arcturus.gateway.api.v1.ArtifactUrl;
import dev.arcturus.gateway.api.v1.DecisionOutcome;
import dev.arcturus.gateway.api.v1.GetArtifactUploadUrlRequest;
import dev.arcturus.gateway.api.v1.GetNodesRequest;
import dev.arcturus.gateway.api.v1.GetRunsRequest;
import dev.arcturus.gateway.api.v1.Job;
import dev.arcturus.gateway.api.v1.JobDecision;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.RescheduleNearestRequest;
import dev.arcturus.gateway.api.v1.Run;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.Task;
import dev.arcturus.gateway.api.v1.TaskServiceGrpc;
import dev.arcturus.gateway.api.v1.TaskStatus;
import dev.arcturus.gateway.api.v1.TaskType;
import dev.arcturus.gateway.api.v1.UpdateRunRequest;
import dev.arcturus.gateway.api.v1.UpdateTaskRequest;
import dev.arcturus.gateway.api.v1.UserServiceGrpc;
import dev.arcturus.gateway.api.v1.VerifyKernelAccessRequest;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.scheduling.trigger.InvalidTriggerException;
import dev.arcturus.scheduling.trigger.Trigger;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one occurrence of a job end to end and reports each step to the plane: DEPLOYING, EXECUTING, FINISHING
 * (artifact upload), then COMPLETED / FAILED / TIMED_OUT with the exit code and the artifact's URL.
 *
 * <p>An occurrence is identified by (job id, scheduled time): its run id is derived from both, and the plane is asked
 * whether that run exists before anything starts, so a restarted connector never runs an occurrence twice.
 */
final class OccurrenceRunner {
    private static final Logger log = LoggerFactory.getLogger(OccurrenceRunner.class);
    private static final Duration SERVER_START_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<RunStatus> FINAL = EnumSet.of(RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.TIMED_OUT,
            RunStatus.SKIPPED, RunStatus.ABORTED, RunStatus.TERMINATED, RunStatus.RESCHEDULED,
            RunStatus.RESCHEDULE_FAILED, RunStatus.MISSED);

    private final String nodeId;
    private final ConnectorMeters meters;
    private final RunServiceGrpc.RunServiceBlockingStub runs;
    private final DockerExecutor executor;
    private final Path workRoot;
    private final NodeTelemetry telemetry;
    private final JobServiceGrpc.JobServiceBlockingStub jobs;
    private final BooleanSupplier scavenging;
    private final Duration rescheduleBuffer;
    private final Map<String, Boolean> runningExclusive = new ConcurrentHashMap<>();
    private final Set<String> aborted = ConcurrentHashMap.newKeySet();
    private final Set<String> stoppedByClient = ConcurrentHashMap.newKeySet();
    private final Set<String> handledTasks = ConcurrentHashMap.newKeySet();
    private ServerTasks serverTasks;
    private TaskServiceGrpc.TaskServiceBlockingStub tasks;
    private NodeServiceGrpc.NodeServiceBlockingStub nodes;
    private KernelService kernel;
    private UserServiceGrpc.UserServiceBlockingStub users;

    /** Wires the server-task protocol (set once by the connector). */
    void serverTasks(final ServerTasks serverTasks, final TaskServiceGrpc.TaskServiceBlockingStub tasks,
                     final NodeServiceGrpc.NodeServiceBlockingStub nodes) {
        this.serverTasks = serverTasks;
        this.tasks = tasks;
        this.nodes = nodes;
    }

    /** The node's kernel service (null when it could not start) and how to check a job owner's kernel access. */
    void kernelService(final KernelService service, final UserServiceGrpc.UserServiceBlockingStub userService) {
        this.kernel = service;
        this.users = userService;
    }

    OccurrenceRunner(final String nodeId, final RunServiceGrpc.RunServiceBlockingStub runs,
                     final JobServiceGrpc.JobServiceBlockingStub jobs, final DockerExecutor executor,
                     final Path workRoot, final NodeTelemetry telemetry, final BooleanSupplier scavenging,
                     final Duration rescheduleBuffer) {
        this.nodeId = nodeId;
        this.meters = new ConnectorMeters(nodeId);
        this.runs = runs;
        this.jobs = jobs;
        this.executor = executor;
        this.workRoot = workRoot;
        this.telemetry = telemetry;
        this.scavenging = scavenging;
        this.rescheduleBuffer = rescheduleBuffer;
    }

    /** Scavenger mode turned on: stops every exclusive run in progress (they end ABORTED). */
    void abortExclusiveRuns() {
        runningExclusive.forEach((runId, exclusive) -> {
            if (exclusive) {
                aborted.add(runId);
                executor.stop(runId);
            }
        });
    }

    /**
     * A run is identified by its job and scheduled time; a placed job runs on several nodes at the same times, so its
     * runs also name the node.
     */
    static String runId(final Job job, final String nodeId, final Instant scheduledAt) {
        final String jobId = job.getSpec().getId();
        return job.getSpec().hasSelector() ? jobId + "-" + nodeId + "-" + scheduledAt.getEpochSecond()
                : jobId + "-" + scheduledAt.getEpochSecond();
    }

    /** Runs the occurrence unless the plane already knows its run; returns the final status, or null if skipped. */
    /** Counts an occurrence missed while the node was away and run late under RUN_ONCE_LATE. */
    void missedRunLate() {
        meters.missedRunLate();
    }

    RunStatus run(final Job job, final Instant scheduledAt) {
        final String jobId = job.getSpec().getId();
        final String runId = runId(job, nodeId, scheduledAt);
        final List<Run> known = runs.getRuns(GetRunsRequest.newBuilder().setRunId(runId).build()).getRunsList();
        if (!known.isEmpty()) {
            if (FINAL.contains(known.get(0).getStatus())) {
                log.info("Run {} of job {} already ended {}; not starting it again", runId, jobId,
                        known.get(0).getStatus());
                return null;
            }
            if (!executor.containerExists(runId)) {
                report(job, runId, scheduledAt, RunStatus.FAILED, "interrupted: the connector restarted and the "
                        + "container is gone", null, "");
                return RunStatus.FAILED;
            }
            log.info("Run {} of job {} was running before a restart; resuming its container", runId, jobId);
        }
        if (job.getSpec().getExclusive() && scavenging.getAsBoolean()) {
            return yieldToScavenger(job, runId, scheduledAt);
        }
        if (!job.getSpec().getTrigger().isBlank() && !triggerAllows(job, runId, scheduledAt)) {
            return RunStatus.SKIPPED;
        }
        final ExperimentConfig experiment;
        try {
            experiment = ExperimentConfig.parse(job.getSpec().getConfig());
        } catch (final ExperimentConfig.InvalidExperimentException e) {
            report(job, runId, scheduledAt, RunStatus.FAILED, e.getMessage(), null, "");
            return RunStatus.FAILED;
        }
        final Map<String, String> plane = new HashMap<>();
        final String kernelToken;
        if (experiment.kernelAccess()) {
            final String refused = kernelRefusal(job);
            if (refused != null) {
                report(job, runId, scheduledAt, RunStatus.FAILED, refused, null, "");
                return RunStatus.FAILED;
            }
            kernelToken = kernel.grant(runId, () -> executor.containerPid(runId));
            plane.put("ARCTURUS_KERNEL_URL", kernel.url());
            plane.put("ARCTURUS_KERNEL_TOKEN", kernelToken);
        } else {
            kernelToken = null;
        }
        try {
            return execute(job, runId, scheduledAt, experiment, plane);
        } finally {
            if (kernelToken != null) {
                kernel.revoke(kernelToken);
            }
        }
    }

    /**
     * Why a run may not use the kernel service, or null if it may: the service must be running and the job's owner
     * must pass the gateway's kernel-access check (USER_PRIV, NODE_PRIV or ADMIN), asked at every run so a revoked
     * privilege takes effect at once.
     */
    private String kernelRefusal(final Job job) {
        if (kernel == null) {
            return "kernel_access: the kernel service is not running on node " + nodeId;
        }
        final var verdict = users.withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS).verifyKernelAccess(
                VerifyKernelAccessRequest.newBuilder().setUserId(job.getOwnerId()).build());
        return verdict.getAllowed() ? null : "kernel_access: owner " + job.getOwnerId() + " may not use the kernel "
                + "service (" + verdict.getReason() + ")";
    }

    private RunStatus execute(final Job job, final String runId, final Instant scheduledAt,
                              final ExperimentConfig experiment, final Map<String, String> plane) {
        final String jobId = job.getSpec().getId();
        final String server = job.getSpec().getServerNodeId();
        if (!server.isEmpty()) {
            plane.put("ARCTURUS_SERVER_NODE_ID", server);
            plane.put("ARCTURUS_SERVER_ADDRESS", serverAddress(server));
            report(job, runId, scheduledAt, RunStatus.DEPLOYING, "waiting for server node " + server, null, "");
            final var started = serverTasks.send(TaskType.SERVER_START, runId + "-server-start", runId, jobId, server,
                    Duration.ofSeconds(job.getSpec().getLengthSeconds()).plus(SERVER_START_TIMEOUT));
            if (!serverTasks.await(started, SERVER_START_TIMEOUT)) {
                report(job, runId, scheduledAt, RunStatus.FAILED, "server node " + server + " did not start its side "
                        + "within " + SERVER_START_TIMEOUT.toSeconds() + " s", null, "");
                return RunStatus.FAILED;
            }
        }
        final RunRequest request = new RunRequest(runId, jobId, nodeId, experiment,
                Duration.ofSeconds(job.getSpec().getLengthSeconds()),
                workRoot.resolve(jobId).resolve(runId), plane);
        runningExclusive.put(runId, job.getSpec().getExclusive());
        final RunOutcome outcome;
        try {
            outcome = executor.run(request, new RunListener() {
            @Override
            public void deploying(final String message) {
                report(job, runId, scheduledAt, RunStatus.DEPLOYING, message, null, "");
            }

            @Override
            public void executing(final String containerId) {
                report(job, runId, scheduledAt, RunStatus.EXECUTING, "container " + containerId.substring(0, 12),
                        null, "");
            }
            });
        } finally {
            runningExclusive.remove(runId);
            if (!server.isEmpty()) {
                serverTasks.send(TaskType.SERVER_STOP, runId + "-server-stop", runId, jobId, server,
                        SERVER_START_TIMEOUT);
            }
        }
        report(job, runId, scheduledAt, RunStatus.FINISHING, outcome.message(), outcome.exitCode(), "");
        final String artifact = upload(job, runId, scheduledAt, request.workDir());
        final boolean stopped = aborted.remove(runId);
        final RunStatus status = stopped ? RunStatus.ABORTED : switch (outcome.status()) {
            case COMPLETED -> RunStatus.COMPLETED;
            case TIMED_OUT -> RunStatus.TIMED_OUT;
            case FAILED -> RunStatus.FAILED;
        };
        report(job, runId, scheduledAt, status, stopped ? "stopped: the node entered scavenger mode" : outcome.message(),
                outcome.exitCode(), artifact);
        log.info("Run {} of job {} ended {} ({})", runId, jobId, status, outcome.message());
        return status;
    }

    private String serverAddress(final String server) {
        return nodes.getNodes(GetNodesRequest.newBuilder().setId(server).build()).getNodesList().stream().findFirst()
                .map(n -> n.getPublicIp().isEmpty() ? n.getIp() : n.getPublicIp()).orElse("");
    }

    /**
     * This node is a job's server: a SERVER_START task runs the server side ({@code <run>-server}, with
     * {@code ARCTURUS_SERVER=1}) and is completed once its container runs; it keeps running until the client's
     * SERVER_STOP (then COMPLETED) or its own time limit. Each task is handled once, however often it is pushed.
     */
    void serverTask(final Job job, final Task task) {
        if (task.getStatus() != TaskStatus.TASK_SCHEDULED || !handledTasks.add(task.getTaskId())
                || Instant.ofEpochSecond(task.getExpiresAt().getSeconds()).isBefore(Instant.now())) {
            return;
        }
        final String serverRun = task.getRunId() + "-server";
        if (task.getType() == TaskType.SERVER_STOP) {
            stoppedByClient.add(serverRun);
            executor.stop(serverRun);
            complete(task);
            return;
        }
        final Instant scheduledAt = Instant.now();
        final ExperimentConfig experiment;
        try {
            experiment = ExperimentConfig.parse(job.getSpec().getConfig());
        } catch (final ExperimentConfig.InvalidExperimentException e) {
            fail(task);
            return;
        }
        final RunRequest request = new RunRequest(serverRun, job.getSpec().getId(), nodeId, experiment,
                Duration.ofSeconds(job.getSpec().getLengthSeconds()).multipliedBy(2).plus(SERVER_START_TIMEOUT),
                workRoot.resolve(job.getSpec().getId()).resolve(serverRun), Map.of("ARCTURUS_SERVER", "1"));
        final RunOutcome outcome = executor.run(request, new RunListener() {
            @Override
            public void deploying(final String message) {
                serverReport(job, serverRun, scheduledAt, RunStatus.DEPLOYING, message, null, "");
            }

            @Override
            public void executing(final String containerId) {
                serverReport(job, serverRun, scheduledAt, RunStatus.EXECUTING, "server side running", null, "");
                complete(task);
            }
        });
        final String artifact = upload(job, serverRun, scheduledAt, request.workDir());
        final boolean stopped = stoppedByClient.remove(serverRun);
        final RunStatus status = stopped || outcome.status() == RunOutcome.Status.COMPLETED ? RunStatus.COMPLETED
                : outcome.status() == RunOutcome.Status.TIMED_OUT ? RunStatus.TIMED_OUT : RunStatus.FAILED;
        serverReport(job, serverRun, scheduledAt, status, stopped ? "stopped after the client finished"
                : outcome.message(), outcome.exitCode(), artifact);
        if (outcome.status() == RunOutcome.Status.FAILED && outcome.exitCode() == null) {
            fail(task); // never got running: tell the client at once
        }
    }

    private void complete(final Task task) {
        tasks.updateTask(UpdateTaskRequest.newBuilder().setTaskId(task.getTaskId())
                .setStatus(TaskStatus.TASK_COMPLETE).build());
    }

    private void fail(final Task task) {
        tasks.updateTask(UpdateTaskRequest.newBuilder().setTaskId(task.getTaskId())
                .setStatus(TaskStatus.TASK_FAILED).build());
    }

    private void serverReport(final Job job, final String runId, final Instant scheduledAt, final RunStatus status,
                              final String message, final Integer exitCode, final String artifactUrl) {
        send(job, runId, scheduledAt, status, message, exitCode, artifactUrl, true);
    }

    /**
     * Scavenger mode is on and the run is exclusive: a cron occurrence is ABORTED; a one-shot job asks admission for
     * the nearest free slot after the reschedule buffer (RESCHEDULED), or FAILS when none is left before its deadline —
     * it never runs anyway.
     */
    private RunStatus yieldToScavenger(final Job job, final String runId, final Instant scheduledAt) {
        if (job.getSpec().getType() != JobType.ONE_SHOT) {
            report(job, runId, scheduledAt, RunStatus.ABORTED, "not started: the node is in scavenger mode", null, "");
            return RunStatus.ABORTED;
        }
        final JobDecision decision = jobs.rescheduleNearest(RescheduleNearestRequest.newBuilder()
                .setId(job.getSpec().getId()).setNotBefore(Timestamps.of(Instant.now().plus(rescheduleBuffer))).build());
        if (decision.getOutcome() == DecisionOutcome.ACCEPTED) {
            report(job, runId, scheduledAt, RunStatus.RESCHEDULED, "scavenger mode: moved to "
                    + Instant.ofEpochSecond(decision.getScheduledStart().getSeconds()), null, "");
            return RunStatus.RESCHEDULED;
        }
        report(job, runId, scheduledAt, RunStatus.FAILED, "scavenger mode: no free slot before the deadline ("
                + decision.getReason() + ")", null, "");
        return RunStatus.FAILED;
    }

    /**
     * Evaluates the job's trigger on this node's current values; a false trigger, or one that cannot be evaluated
     * (a missing value, a division by zero), makes the run SKIPPED with the values it saw.
     */
    private boolean triggerAllows(final Job job, final String runId, final Instant scheduledAt) {
        final Map<String, Double> values = telemetry.values();
        String verdict;
        Map<String, Double> seen = Map.of();
        try {
            final Trigger trigger = Trigger.compile(job.getSpec().getTrigger());
            seen = trigger.seen(values);
            if (trigger.evaluate(values)) {
                return true;
            }
            verdict = "trigger false: " + trigger.text() + " with " + seen;
        } catch (final InvalidTriggerException | Trigger.TriggerEvaluationException e) {
            verdict = "trigger could not be evaluated: " + e.getMessage();
        }
        runs.updateRun(UpdateRunRequest.newBuilder().setRunId(runId).setJobId(job.getSpec().getId()).setNodeId(nodeId)
                .setScheduledAt(Timestamps.of(scheduledAt)).setStatus(RunStatus.SKIPPED).setStatusMessage(verdict)
                .putAllTriggerValues(seen).setEndedAt(Timestamps.of(Instant.now())).build());
        log.info("Run {} of job {} SKIPPED: {}", runId, job.getSpec().getId(), verdict);
        return false;
    }

    /** Zips and uploads the run directory; returns the blob URL, or "" when the plane stores no artifacts. */
    private String upload(final Job job, final String runId, final Instant scheduledAt, final Path workDir) {
        final ArtifactUrl url;
        try {
            url = runs.getArtifactUploadUrl(GetArtifactUploadUrlRequest.newBuilder().setRunId(runId)
                    .setJobId(job.getSpec().getId()).setNodeId(nodeId).setScheduledAt(Timestamps.of(scheduledAt)).build());
        } catch (final StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION) {
                log.info("Run {}: the plane stores no artifacts ({})", runId, e.getStatus().getDescription());
                return "";
            }
            throw e;
        }
        final Path zip = workDir.resolveSibling(runId + ".zip");
        RunArtifacts.upload(RunArtifacts.zip(workDir, zip), url.getUrl());
        return url.getBlobUrl();
    }

    private void report(final Job job, final String runId, final Instant scheduledAt, final RunStatus status,
                        final String message, final Integer exitCode, final String artifactUrl) {
        send(job, runId, scheduledAt, status, message, exitCode, artifactUrl, false);
    }

    private void send(final Job job, final String runId, final Instant scheduledAt, final RunStatus status,
                      final String message, final Integer exitCode, final String artifactUrl, final boolean serverSide) {
        final UpdateRunRequest.Builder update = UpdateRunRequest.newBuilder().setRunId(runId).setServerSide(serverSide)
                .setJobId(job.getSpec().getId()).setNodeId(nodeId).setScheduledAt(Timestamps.of(scheduledAt)).setStatus(status)
                .setStatusMessage(message == null ? "" : message).setArtifactUrl(artifactUrl);
        final Instant now = Instant.now();
        if (status == RunStatus.DEPLOYING) {
            update.setStartedAt(Timestamps.of(now));
        }
        if (exitCode != null) {
            update.setExitCode(exitCode).setHasExitCode(true);
        }
        if (status == RunStatus.COMPLETED || status == RunStatus.FAILED || status == RunStatus.TIMED_OUT) {
            update.setEndedAt(Timestamps.of(Instant.now()));
        }
        runs.updateRun(update.build());
        meters.reported(status, scheduledAt, now);
    }
}
