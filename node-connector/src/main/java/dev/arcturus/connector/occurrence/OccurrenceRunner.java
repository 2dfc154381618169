package dev.arcturus.connector.occurrence;

import dev.arcturus.connector.executor.DockerExecutor;
import dev.arcturus.connector.executor.RunListener;
import dev.arcturus.connector.executor.RunOutcome;
import dev.arcturus.connector.executor.RunRequest;
import dev.arcturus.connector.journal.RunReporter;
import dev.arcturus.gateway.api.v1.Job;
import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.TaskType;
import dev.arcturus.scheduling.experiment.ExperimentConfig;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one occurrence of a job end to end: a run that already ended is not started again; scavenger mode and the
 * trigger may stop it first; a privileged run borrows the kernel service; a job with a server node starts the server's
 * side first. Each step is reported — DEPLOYING, EXECUTING, FINISHING (artifact upload), then COMPLETED / FAILED /
 * TIMED_OUT with the exit code and the artifact's URL.
 */
public final class OccurrenceRunner {
    static final Duration SERVER_START_TIMEOUT = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(OccurrenceRunner.class);

    private final String nodeId;
    private final DockerExecutor executor;
    private final Path workRoot;
    private final RunReporter reporter;
    private final TriggerGate trigger;
    private final KernelAccess kernel;
    private final ServerTasks serverTasks;
    private final ScavengerYield scavenger;
    private final Map<String, Boolean> runningExclusive = new ConcurrentHashMap<>();
    private final Set<String> aborted = ConcurrentHashMap.newKeySet();

    public OccurrenceRunner(final String nodeId, final DockerExecutor executor, final Path workRoot,
                            final RunReporter reporter, final TriggerGate trigger,
                            final KernelAccess kernel, final ServerTasks serverTasks, final ScavengerYield scavenger) {
        this.nodeId = nodeId;
        this.executor = executor;
        this.workRoot = workRoot;
        this.reporter = reporter;
        this.trigger = trigger;
        this.kernel = kernel;
        this.serverTasks = serverTasks;
        this.scavenger = scavenger;
    }

    /** Scavenger mode turned on: stops every exclusive run in progress (they end ABORTED). */
    public void abortExclusiveRuns() {
        runningExclusive.forEach((runId, exclusive) -> {
            if (exclusive) {
                aborted.add(runId);
                executor.stop(runId);
            }
        });
    }

    /**
     * Runs the occurrence unless its run already ended; returns the final status, or null if it had ended. Whatever
     * goes wrong — Docker, the plane unreachable for a check, a bug — ends the run FAILED with the reason: an
     * occurrence that fired is never left without a final status.
     */
    public RunStatus run(final Job job, final Instant scheduledAt) {
        final RunKey run = RunKey.of(job, nodeId, scheduledAt);
        try {
            return attempt(job, run);
        } catch (final StatusRuntimeException e) {
            return end(run, RunStatus.FAILED, "the plane could not be reached for this run: " + e.getStatus());
        } catch (final RuntimeException e) {
            log.error("Run {} of job {} failed: {}", run.runId(), run.jobId(), e.toString(), e);
            return end(run, RunStatus.FAILED, "agent error: " + e);
        }
    }

    /**
     * An occurrence that could not run (the agent was down or learnt of the job too late): recorded MISSED with the
     * reason, unless this node already recorded the run.
     */
    public void missed(final Job job, final Instant scheduledAt, final String reason) {
        final RunKey run = RunKey.of(job, nodeId, scheduledAt);
        if (reporter.lastStatus(run.runId()).isEmpty()) {
            end(run, RunStatus.MISSED, reason);
        }
    }

    /** A run under way when the agent stopped whose job it no longer has: it cannot be resumed. */
    public void abandon(final RunKey run, final String reason) {
        end(run, RunStatus.FAILED, reason);
    }

    private RunStatus attempt(final Job job, final RunKey run) {
        final Optional<RunStatus> known = reporter.lastStatus(run.runId());
        if (known.isPresent()) {
            if (RunUpdates.FINAL.contains(known.get())) {
                log.info("Run {} of job {} already ended {}; not starting it again", run.runId(), run.jobId(),
                        known.get());
                return null;
            }
            if (!executor.containerExists(run.runId())) {
                return end(run, RunStatus.FAILED, "interrupted: the agent restarted and the container is gone");
            }
            log.info("Run {} of job {} was running before a restart; resuming its container", run.runId(), run.jobId());
        }
        if (scavenger.claims(job)) {
            final ScavengerYield.Outcome yielded = scavenger.yieldOccurrence(job);
            return end(run, yielded.status(), yielded.reason());
        }
        final TriggerGate.Verdict verdict = trigger.evaluate(job.getSpec().getTrigger());
        if (!verdict.open()) {
            reporter.report(RunUpdates.skipped(run, verdict.reason(), verdict.seen(), Instant.now()));
            log.info("Run {} of job {} SKIPPED: {}", run.runId(), run.jobId(), verdict.reason());
            return RunStatus.SKIPPED;
        }
        final ExperimentConfig experiment;
        try {
            experiment = ExperimentConfig.parse(job.getSpec().getConfig());
        } catch (final ExperimentConfig.InvalidExperimentException e) {
            return end(run, RunStatus.FAILED, e.getMessage());
        }
        if (!experiment.kernelAccess()) {
            return execute(job, run, experiment, new HashMap<>());
        }
        try (KernelAccess.Lease lease = kernel.lease(job, run.runId(), () -> executor.containerPid(run.runId()))) {
            return execute(job, run, experiment, new HashMap<>(lease.environment()));
        } catch (final KernelAccess.RefusedException e) {
            return end(run, RunStatus.FAILED, e.getMessage());
        }
    }

    private RunStatus execute(final Job job, final RunKey run, final ExperimentConfig experiment,
                              final Map<String, String> plane) {
        final String server = job.getSpec().getServerNodeId();
        if (!server.isEmpty() && !serverStarted(job, run, server, plane)) {
            return end(run, RunStatus.FAILED, "server node " + server + " did not start its side within "
                    + SERVER_START_TIMEOUT.toSeconds() + " s");
        }
        final RunRequest request = new RunRequest(run.runId(), run.jobId(), nodeId, experiment,
                Duration.ofSeconds(job.getSpec().getLengthSeconds()),
                workRoot.resolve(run.jobId()).resolve(run.runId()), plane, job.getSpec().getConfig());
        runningExclusive.put(run.runId(), job.getSpec().getExclusive());
        final RunOutcome outcome;
        try {
            outcome = executor.run(request, new RunListener() {
                @Override
                public void deploying(final String message) {
                    reporter.report(RunUpdates.step(run, RunStatus.DEPLOYING, message, Instant.now()).build());
                }

                @Override
                public void executing(final String containerId) {
                    reporter.report(RunUpdates.step(run, RunStatus.EXECUTING, "container "
                            + containerId.substring(0, 12), Instant.now()).build());
                }
            });
        } finally {
            runningExclusive.remove(run.runId());
            if (!server.isEmpty()) {
                stopServerSide(run, server);
            }
        }
        reporter.report(RunUpdates.ended(run, RunStatus.FINISHING, outcome.message(), outcome.exitCode(), "",
                Instant.now()));
        final boolean stopped = aborted.remove(run.runId());
        final RunStatus status = stopped ? RunStatus.ABORTED : switch (outcome.status()) {
            case COMPLETED -> RunStatus.COMPLETED;
            case TIMED_OUT -> RunStatus.TIMED_OUT;
            case FAILED -> RunStatus.FAILED;
        };
        // The artifact is published by the reporter before this step reaches the plane, whenever that is.
        reporter.finish(RunUpdates.ended(run, status, stopped ? "stopped: the node entered scavenger mode"
                : outcome.message(), outcome.exitCode(), "", Instant.now()), request.workDir());
        log.info("Run {} of job {} ended {} ({})", run.runId(), run.jobId(), status, outcome.message());
        return status;
    }

    /** The server side stops at its own time limit anyway: failing to ask it to stop earlier must not lose the run. */
    private void stopServerSide(final RunKey run, final String server) {
        try {
            serverTasks.send(TaskType.SERVER_STOP, run.runId() + "-server-stop", run.runId(), run.jobId(), server,
                    SERVER_START_TIMEOUT);
        } catch (final StatusRuntimeException e) {
            log.warn("Run {}: could not ask server node {} to stop its side ({}); it stops at its time limit",
                    run.runId(), server, e.getStatus());
        }
    }

    /** Asks the server node to start its side and waits for it; adds the server's id and address for the client. */
    private boolean serverStarted(final Job job, final RunKey run, final String server,
                                  final Map<String, String> plane) {
        plane.put("ARCTURUS_SERVER_NODE_ID", server);
        plane.put("ARCTURUS_SERVER_ADDRESS", serverTasks.serverAddress(server));
        reporter.report(RunUpdates.step(run, RunStatus.DEPLOYING, "waiting for server node " + server, Instant.now())
                .build());
        final var started = serverTasks.send(TaskType.SERVER_START, run.runId() + "-server-start", run.runId(),
                run.jobId(), server, Duration.ofSeconds(job.getSpec().getLengthSeconds()).plus(SERVER_START_TIMEOUT));
        return serverTasks.await(started, SERVER_START_TIMEOUT);
    }

    private RunStatus end(final RunKey run, final RunStatus status, final String reason) {
        reporter.report(RunUpdates.ended(run, status, reason, null, "", Instant.now()));
        log.info("Run {} of job {} ended {}: {}", run.runId(), run.jobId(), status, reason);
        return status;
    }
}
