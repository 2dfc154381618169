package dev.arcturus.connector;

import dev.arcturus.connector.executor.DockerExecutor;
import dev.arcturus.connector.kernel.KernelService;
import dev.arcturus.connector.occurrence.ArtifactUploader;
import dev.arcturus.connector.occurrence.KernelAccess;
import dev.arcturus.connector.occurrence.OccurrenceRunner;
import dev.arcturus.connector.occurrence.Occurrences;
import dev.arcturus.connector.occurrence.PlaneRunReporter;
import dev.arcturus.connector.occurrence.RunMeters;
import dev.arcturus.connector.occurrence.RunReporter;
import dev.arcturus.connector.occurrence.ScavengerYield;
import dev.arcturus.connector.occurrence.ServerSideRunner;
import dev.arcturus.connector.occurrence.ServerTasks;
import dev.arcturus.connector.occurrence.TriggerGate;
import dev.arcturus.gateway.api.v1.Assignment;
import dev.arcturus.gateway.api.v1.Job;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.PlaneServiceGrpc;
import dev.arcturus.gateway.api.v1.ReportHeartbeatRequest;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.api.v1.Task;
import dev.arcturus.gateway.api.v1.TaskServiceGrpc;
import dev.arcturus.gateway.api.v1.UserServiceGrpc;
import dev.arcturus.gateway.api.v1.WatchRequest;
import dev.arcturus.gateway.client.GatewayChannels;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's connector: follows the node's assignments pushed by the gateway (no polling), keeps one timer per job
 * for its next occurrence inside the job's window, runs each occurrence in a container, and heartbeats.
 *
 * <p>Occurrences already in the past when the connector learns of them are not run (the missed-run policy SKIP);
 * an occurrence never fires outside its job's window. A changed job replaces its timer; a deleted one cancels it.
 */
public final class NodeConnector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeConnector.class);
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(2);
    private static final Duration TELEMETRY_INTERVAL = Duration.ofSeconds(2);

    private final ConnectorSettings settings;
    private final ManagedChannel channel;
    private final DockerExecutor executor;
    private final OccurrenceRunner runner;
    private final NodeTelemetry telemetry;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, daemon("connector-timer"));
    // Client runs, and server sides that wait for their client, must not starve each other.
    private final ExecutorService runs = Executors.newCachedThreadPool(daemon("connector-run"));
    private final Map<String, ScheduledFuture<?>> nextByJob = new ConcurrentHashMap<>();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final ServerTasks serverTasks;
    private final ServerSideRunner serverSide;
    private final RunMeters meters;
    private final AtomicLong heartbeats = new AtomicLong();
    private final TelemetryReporter reporter;
    private final KernelService kernel;
    private volatile String ownIp = "";
    private volatile boolean closing;
    private volatile boolean scavenging;

    private NodeConnector(final ConnectorSettings settings, final ManagedChannel channel) {
        this.settings = settings;
        this.channel = channel;
        this.executor = DockerExecutor.connect(settings.dockerHost(), settings.pullImages());
        this.telemetry = new NodeTelemetry(settings.workRoot().resolve("plugins"));
        final CallCredentials bearer = GatewayChannels.bearer(settings.token());
        final RunServiceGrpc.RunServiceBlockingStub runService = RunServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(bearer);
        this.meters = new RunMeters(settings.nodeId());
        final RunReporter reporter = new PlaneRunReporter(runService, meters);
        final ArtifactUploader artifacts = new ArtifactUploader(runService);
        this.kernel = settings.telemetry().kernelService() ? startKernelService(executor) : null;
        this.serverTasks = new ServerTasks(TaskServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer),
                NodeServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer));
        this.runner = new OccurrenceRunner(settings.nodeId(), executor, settings.workRoot(), reporter, artifacts,
                new TriggerGate(telemetry::values),
                new KernelAccess(settings.nodeId(), kernel, UserServiceGrpc.newBlockingStub(channel)
                        .withCallCredentials(bearer)),
                serverTasks,
                new ScavengerYield(() -> scavenging, JobServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer),
                        settings.rescheduleBuffer()));
        this.serverSide = new ServerSideRunner(settings.nodeId(), executor, settings.workRoot(), serverTasks, reporter,
                artifacts);
        this.reporter = new TelemetryReporter(settings.nodeId(), settings.telemetry(), settings.workRoot(),
                NodeServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(settings.token())),
                PlaneServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(settings.token())),
                telemetry, () -> ownIp);
    }

    /** Connects to the gateway on {@code channel} and starts following the node's assignments. */
    public static NodeConnector start(final ConnectorSettings settings, final ManagedChannel channel) {
        final NodeConnector connector = new NodeConnector(settings, channel);
        connector.watch();
        connector.timers.scheduleAtFixedRate(connector::heartbeat, 0, settings.heartbeat().toMillis(),
                TimeUnit.MILLISECONDS);
        connector.telemetry.sample();
        connector.timers.scheduleAtFixedRate(connector.telemetry::sample, TELEMETRY_INTERVAL.toMillis(),
                TELEMETRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        connector.reporter.start();
        return connector;
    }

    /** On the Docker bridge's gateway address, so containers reach it and the outside world does not. */
    private static KernelService startKernelService(final DockerExecutor executor) {
        try {
            return KernelService.start(executor.bridgeGateway());
        } catch (final java.io.IOException | RuntimeException e) {
            log.warn("Kernel service not started ({}); privileged runs asking for it will fail", e.toString());
            return null;
        }
    }

    private void watch() {
        TaskServiceGrpc.newStub(channel).withCallCredentials(GatewayChannels.bearer(settings.token()))
                .watchAssignments(WatchRequest.newBuilder().setNodeId(settings.nodeId()).build(),
                        new StreamObserver<>() {
                            @Override
                            public void onNext(final Assignment assignment) {
                                apply(assignment);
                            }

                            @Override
                            public void onError(final Throwable error) {
                                reconnect("assignment stream failed: " + error);
                            }

                            @Override
                            public void onCompleted() {
                                reconnect("assignment stream ended");
                            }
                        });
    }

    private void reconnect(final String why) {
        if (!closing) {
            log.warn("Node {}: {}; reconnecting in {} s", settings.nodeId(), why, RECONNECT_DELAY.toSeconds());
            timers.schedule(this::watch, RECONNECT_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void apply(final Assignment assignment) {
        if (assignment.hasNode()) {
            final boolean was = scavenging;
            scavenging = assignment.getNode().getScavengerModeActive();
            ownIp = assignment.getNode().getIp();
            if (scavenging && !was) {
                log.info("Node {} entered scavenger mode: stopping exclusive runs", settings.nodeId());
                runner.abortExclusiveRuns();
            }
        } else if (assignment.hasJob()) {
            final Job job = assignment.getJob();
            final boolean newHere = jobs.put(job.getSpec().getId(), job) == null;
            final Instant now = Instant.now();
            if (newHere) {
                Occurrences.latestMissed(job, now).ifPresent(missed -> {
                    meters.missedRunLate();
                    runs.execute(() -> runLogged(job, missed));
                });
            }
            scheduleNext(job, now);
        } else if (assignment.getChangeCase() == Assignment.ChangeCase.DELETED_JOB_ID) {
            jobs.remove(assignment.getDeletedJobId());
            cancel(assignment.getDeletedJobId());
        } else if (assignment.hasTask()) {
            final Task task = assignment.getTask();
            serverTasks.observed(task);
            final Job job = jobs.get(task.getJobId());
            if (settings.nodeId().equals(task.getNodeId()) && job != null) {
                runs.execute(() -> {
                    try {
                        serverSide.handle(job, task);
                    } catch (final RuntimeException e) {
                        log.error("Server task {} failed: {}", task.getTaskId(), e.toString(), e);
                    }
                });
            }
        }
    }

    /** Sets the job's timer to its first occurrence at or after {@code from}; none once its window is over. */
    private void scheduleNext(final Job job, final Instant from) {
        final String jobId = job.getSpec().getId();
        cancel(jobId);
        if (!job.getAssignedNodeIdsList().contains(settings.nodeId())) {
            return; // this node is the job's server side; server tasks come with the task protocol
        }
        final Instant next = Occurrences.next(job, from);
        if (next == null) {
            log.info("Job {}: no occurrence left in its window", jobId);
            return;
        }
        final long delay = Math.max(0, next.toEpochMilli() - System.currentTimeMillis());
        nextByJob.put(jobId, timers.schedule(() -> fire(job, next), delay, TimeUnit.MILLISECONDS));
        log.info("Job {} v{}: next occurrence at {}", jobId, job.getVersion(), next);
    }

    private void fire(final Job job, final Instant scheduledAt) {
        runs.execute(() -> runLogged(job, scheduledAt));
        scheduleNext(job, scheduledAt.plusMillis(1));
    }

    private void runLogged(final Job job, final Instant scheduledAt) {
        try {
            runner.run(job, scheduledAt);
        } catch (final RuntimeException e) {
            log.error("Run of job {} at {} failed: {}", job.getSpec().getId(), scheduledAt, e.toString(), e);
        }
    }

    private void cancel(final String jobId) {
        final ScheduledFuture<?> previous = nextByJob.remove(jobId);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    private void heartbeat() {
        try {
            NodeServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(settings.token()))
                    .withDeadlineAfter(5, TimeUnit.SECONDS).reportHeartbeat(ReportHeartbeatRequest.newBuilder()
                            .setNodeId(settings.nodeId()).setSequence(heartbeats.incrementAndGet()).build());
        } catch (final RuntimeException e) {
            log.warn("Node {}: heartbeat failed: {}", settings.nodeId(), e.toString());
        }
    }

    /** Jobs with a pending occurrence (for status and tests). */
    public int scheduledJobs() {
        return nextByJob.size();
    }

    static java.util.concurrent.ThreadFactory daemon(final String name) {
        return runnable -> {
            final Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        closing = true;
        reporter.close();
        if (kernel != null) {
            kernel.close();
        }
        timers.shutdownNow();
        runs.shutdown();
        try {
            // A running container keeps its name: a restarted connector resumes it.
            runs.awaitTermination(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.close();
    }
}
