package dev.arcturus.connector;

import dev.arcturus.connector.executor.DockerExecutor;
import dev.arcturus.connector.journal.AssignmentCache;
import dev.arcturus.connector.journal.GatewayRunPlane;
import dev.arcturus.connector.journal.RunJournal;
import dev.arcturus.connector.journal.RunOutbox;
import dev.arcturus.connector.kernel.KernelService;
import dev.arcturus.connector.link.Backoff;
import dev.arcturus.connector.link.LinkLog;
import dev.arcturus.connector.occurrence.KernelAccess;
import dev.arcturus.connector.occurrence.MissedRuns;
import dev.arcturus.connector.occurrence.OccurrenceRunner;
import dev.arcturus.connector.occurrence.Occurrences;
import dev.arcturus.connector.occurrence.RunKey;
import dev.arcturus.connector.occurrence.RunMeters;
import dev.arcturus.connector.occurrence.ScavengerYield;
import dev.arcturus.connector.occurrence.ServerSideRunner;
import dev.arcturus.connector.occurrence.ServerTasks;
import dev.arcturus.connector.occurrence.TriggerGate;
import dev.arcturus.connector.providers.TriggerProviders;
import dev.arcturus.gateway.api.v1.Assignment;
import dev.arcturus.gateway.api.v1.Job;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.Node;
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
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 * One node's agent. It owns its node's truth while the plane is away: the last assignment snapshot and every run
 * update live in a journal on the node's disk; timers fire occurrences from the cached jobs whether or not the gateway
 * answers; run reports reach the plane in order once it does. It follows the assignments the gateway pushes (no
 * polling), reconnecting with capped, jittered backoff; every call has a deadline; a rejected token stops it.
 *
 * <p>After every gap — the agent down, or a job learnt of after its time — the missed-run policy decides each
 * occurrence that fell in it ({@link MissedRuns}): run late, or recorded MISSED with the reason; never absent.
 */
public final class NodeConnector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeConnector.class);
    private static final Duration TELEMETRY_INTERVAL = Duration.ofSeconds(2);
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);

    private final ConnectorSettings settings;
    private final ManagedChannel channel;
    private final DockerExecutor executor;
    private final OccurrenceRunner runner;
    private final NodeTelemetry telemetry;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, daemon("connector-timer"));
    // Heartbeats block up to their deadline on a silent link; occurrence timers must not wait behind them.
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(
            daemon("connector-heartbeat"));
    // Client runs, and server sides that wait for their client, must not starve each other.
    private final ExecutorService runs = Executors.newCachedThreadPool(daemon("connector-run"));
    private final Map<String, ScheduledFuture<?>> nextByJob = new ConcurrentHashMap<>();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Map<String, Instant> knownSince = new ConcurrentHashMap<>();
    private final ServerTasks serverTasks;
    private final ServerSideRunner serverSide;
    private final RunMeters meters;
    private final RunJournal journal;
    private final RunOutbox outbox;
    private final AssignmentCache cache;
    private final MissedRuns missedRuns;
    private final AtomicLong heartbeats = new AtomicLong();
    private final TelemetryReporter reporter;
    private final KernelService kernel;
    private final TriggerProviders providers;
    private final Backoff watchBackoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
    private final LinkLog watchLink;
    private final LinkLog heartbeatLink;
    private final CompletableFuture<String> stopped = new CompletableFuture<>();
    private final Set<String> seenSinceConnect = new HashSet<>(); // guarded by this
    private volatile ScheduledFuture<?> pendingWatch;
    private volatile Node ownNode;
    private volatile boolean closing;
    private volatile boolean scavenging;

    private NodeConnector(final ConnectorSettings settings, final ManagedChannel channel) {
        this.settings = settings;
        this.channel = channel;
        this.executor = DockerExecutor.connect(settings.dockerHost(), settings.pullImages());
        this.telemetry = new NodeTelemetry(settings.workRoot().resolve("plugins"));
        this.providers = new TriggerProviders(settings.telemetry().providers(), telemetry::record);
        final CallCredentials bearer = GatewayChannels.bearer(settings.token());
        final Path state = settings.workRoot().resolve("journal").resolve(settings.nodeId());
        this.meters = new RunMeters(settings.nodeId());
        this.journal = RunJournal.open(state);
        this.cache = new AssignmentCache(state.resolve("assignments"));
        this.outbox = new RunOutbox(settings.nodeId(), journal, new GatewayRunPlane(RunServiceGrpc
                .newBlockingStub(channel).withCallCredentials(bearer), CALL_DEADLINE),
                new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)), meters::recorded, this::stop);
        this.kernel = settings.telemetry().kernelService() ? startKernelService(executor) : null;
        this.serverTasks = new ServerTasks(TaskServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer),
                NodeServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer));
        this.runner = new OccurrenceRunner(settings.nodeId(), executor, settings.workRoot(), outbox,
                new TriggerGate(telemetry::values, providers::stale),
                new KernelAccess(settings.nodeId(), kernel, UserServiceGrpc.newBlockingStub(channel)
                        .withCallCredentials(bearer)),
                serverTasks,
                new ScavengerYield(() -> scavenging, JobServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer),
                        settings.rescheduleBuffer()));
        this.missedRuns = new MissedRuns(runner, meters, runs);
        this.serverSide = new ServerSideRunner(settings.nodeId(), executor, settings.workRoot(), serverTasks, outbox);
        this.reporter = new TelemetryReporter(settings.nodeId(), settings.telemetry(), settings.workRoot(),
                NodeServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer),
                PlaneServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer),
                telemetry, () -> ownNode == null ? "" : ownNode.getIp());
        this.watchLink = new LinkLog(log, "Node " + settings.nodeId() + " assignments");
        this.heartbeatLink = new LinkLog(log, "Node " + settings.nodeId() + " heartbeats");
    }

    /**
     * Starts the agent: its jobs run from the journal's snapshot at once (the plane need not answer), runs under way
     * when it stopped are resumed or closed, then it follows the plane's assignments and delivers what it journaled.
     */
    public static NodeConnector start(final ConnectorSettings settings, final ManagedChannel channel) {
        final NodeConnector connector = new NodeConnector(settings, channel);
        connector.resumeFromJournal();
        connector.outbox.start();
        connector.watch();
        connector.beats.scheduleAtFixedRate(connector::heartbeat, 0, settings.heartbeat().toMillis(),
                TimeUnit.MILLISECONDS);
        connector.telemetry.sample();
        connector.timers.scheduleAtFixedRate(connector.telemetry::sample, TELEMETRY_INTERVAL.toMillis(),
                TELEMETRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        connector.reporter.start();
        connector.providers.start();
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

    private void resumeFromJournal() {
        final AssignmentCache.Snapshot snapshot = cache.load();
        snapshot.node().ifPresent(node -> {
            ownNode = node;
            scavenging = node.getScavengerModeActive();
        });
        final Instant now = Instant.now();
        jobs.putAll(snapshot.jobs());
        knownSince.putAll(snapshot.knownSince());
        for (final Job job : snapshot.jobs().values()) {
            if (runsHere(job)) {
                final Instant since = knownSince.getOrDefault(job.getSpec().getId(), now);
                final Instant from = journal.cursor(job.getSpec().getId()).map(c -> c.plusMillis(1))
                        .filter(c -> c.isAfter(since)).orElse(since);
                missedRuns.decide(job, from, now, "the agent was not running");
                scheduleNext(job, now);
            }
        }
        for (final RunJournal.Known run : journal.unfinished()) {
            final Job job = jobs.get(run.jobId());
            if (job != null) {
                runs.execute(() -> runLogged(job, run.scheduledAt()));
            } else {
                runner.abandon(new RunKey(run.runId(), run.jobId(), settings.nodeId(), run.scheduledAt(), false),
                        "interrupted: the agent restarted and no longer has the job");
            }
        }
        if (!snapshot.jobs().isEmpty()) {
            log.info("Node {}: resumed {} jobs from the journal; {} run updates waiting for the plane",
                    settings.nodeId(), snapshot.jobs().size(), outbox.pending());
        }
    }

    private void watch() {
        synchronized (this) {
            seenSinceConnect.clear();
        }
        TaskServiceGrpc.newStub(channel).withCallCredentials(GatewayChannels.bearer(settings.token()))
                .watchAssignments(WatchRequest.newBuilder().setNodeId(settings.nodeId()).build(),
                        new StreamObserver<>() {
                            @Override
                            public void onNext(final Assignment assignment) {
                                if (watchLink.down()) {
                                    outbox.linkRestored();
                                }
                                watchLink.succeeded();
                                watchBackoff.reset();
                                apply(assignment);
                            }

                            @Override
                            public void onError(final Throwable error) {
                                reconnect(error);
                            }

                            @Override
                            public void onCompleted() {
                                reconnect(Status.UNAVAILABLE.withDescription("assignment stream ended")
                                        .asRuntimeException());
                            }
                        });
    }

    private void reconnect(final Throwable error) {
        if (closing) {
            return;
        }
        if (error instanceof StatusRuntimeException e && e.getStatus().getCode() == Status.Code.UNAUTHENTICATED) {
            stop("the plane rejected node " + settings.nodeId() + "'s token (" + e.getStatus().getDescription()
                    + "); is it revoked? An admin issues a new one with `arcturus user rotate-token --id "
                    + settings.nodeId() + "`");
            return;
        }
        watchLink.failed(error);
        pendingWatch = timers.schedule(this::watch, watchBackoff.next().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A heartbeat got through while the assignment stream or the run reports were waiting out a backoff: the link is
     * back, so both retry now rather than up to half a minute later.
     */
    private void linkBack() {
        outbox.linkRestored();
        final ScheduledFuture<?> waiting = pendingWatch;
        if (watchLink.down() && waiting != null && waiting.cancel(false)) {
            watchBackoff.reset();
            pendingWatch = timers.schedule(this::watch, 0, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void apply(final Assignment assignment) {
        if (assignment.getBookmark()) {
            withdrawJobsNotResent();
        } else if (assignment.hasNode()) {
            final boolean was = scavenging;
            ownNode = assignment.getNode();
            scavenging = assignment.getNode().getScavengerModeActive();
            save();
            if (scavenging && !was) {
                log.info("Node {} entered scavenger mode: stopping exclusive runs", settings.nodeId());
                runner.abortExclusiveRuns();
            }
        } else if (assignment.hasJob()) {
            final Job job = assignment.getJob();
            final String jobId = job.getSpec().getId();
            seenSinceConnect.add(jobId);
            final Job before = jobs.put(jobId, job);
            final Instant now = Instant.now();
            if (before == null) {
                knownSince.put(jobId, now);
            }
            if (before == null || !before.equals(job)) {
                save();
            }
            if (before == null && runsHere(job)) {
                missedRuns.decideForNewJob(job, now);
            }
            scheduleNext(job, now);
        } else if (assignment.getChangeCase() == Assignment.ChangeCase.DELETED_JOB_ID) {
            withdraw(assignment.getDeletedJobId());
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

    /** The stream resent the node's whole set before its bookmark: cached jobs it left out were deleted meanwhile. */
    private void withdrawJobsNotResent() {
        for (final String jobId : Set.copyOf(jobs.keySet())) {
            if (!seenSinceConnect.contains(jobId)) {
                log.info("Job {}: no longer on node {} (withdrawn while the link was down)", jobId, settings.nodeId());
                withdraw(jobId);
            }
        }
    }

    private void withdraw(final String jobId) {
        jobs.remove(jobId);
        knownSince.remove(jobId);
        cancel(jobId);
        save();
    }

    private void save() {
        cache.save(ownNode, Map.copyOf(jobs), Map.copyOf(knownSince));
    }

    private boolean runsHere(final Job job) {
        // A job whose server side this node is comes with the task protocol, not with timers.
        return job.getAssignedNodeIdsList().contains(settings.nodeId());
    }

    /** Sets the job's timer to its first occurrence at or after {@code from}; none once its window is over. */
    private void scheduleNext(final Job job, final Instant from) {
        final String jobId = job.getSpec().getId();
        cancel(jobId);
        if (!runsHere(job)) {
            return;
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
            if (!heartbeatLink.succeeded().isZero()) {
                linkBack();
            }
        } catch (final RuntimeException e) {
            heartbeatLink.failed(e);
            // gRPC's own reconnect backoff grows to two minutes during a long outage, and calls fail fast until it
            // expires: the heartbeat is the agent's probe of the link, so each one may try a connection now.
            channel.resetConnectBackoff();
        }
    }

    /** Stops the agent for good (a rejected token): one clear line, then nothing retries. */
    private void stop(final String why) {
        if (stopped.complete(why)) {
            log.error("Node {} agent stopping: {}", settings.nodeId(), why);
            timers.execute(this::close);
        }
    }

    /** Completes with the reason when the agent stopped by itself (its token was rejected). */
    public CompletableFuture<String> stopped() {
        return stopped;
    }

    /** Jobs with a pending occurrence (for status and tests). */
    public int scheduledJobs() {
        return nextByJob.size();
    }

    /** Run updates journaled but not yet acknowledged by the plane. */
    public int pendingReports() {
        return outbox.pending();
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
        if (closing) {
            return;
        }
        closing = true;
        reporter.close();
        providers.close();
        if (kernel != null) {
            kernel.close();
        }
        timers.shutdownNow();
        beats.shutdownNow();
        runs.shutdown();
        try {
            // A running container keeps its name: a restarted agent resumes it.
            runs.awaitTermination(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outbox.close();
        journal.close();
        executor.close();
    }
}
