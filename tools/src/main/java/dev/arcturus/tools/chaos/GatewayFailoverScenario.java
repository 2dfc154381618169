package dev.arcturus.tools.chaos;

import dev.arcturus.apps.PlaneApps;
import dev.arcturus.avro.RunState;
import dev.arcturus.gateway.api.v1.DecisionOutcome;
import dev.arcturus.gateway.api.v1.GetJobRequest;
import dev.arcturus.gateway.api.v1.JobDecision;
import dev.arcturus.gateway.api.v1.JobEvent;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.JobSpec;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.NodeSpec;
import dev.arcturus.gateway.api.v1.RegisterNodeRequest;
import dev.arcturus.gateway.api.v1.RegisterUserRequest;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.RunEvent;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.ScheduleJobRequest;
import dev.arcturus.gateway.api.v1.UpdateRunRequest;
import dev.arcturus.gateway.api.v1.UserServiceGrpc;
import dev.arcturus.gateway.api.v1.WatchRequest;
import dev.arcturus.gateway.client.GatewayChannels;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arcturus chaos gateway-failover}: two gateway replicas (each its own JVM and run store) and clients that
 * name both; a researcher schedules jobs at a steady rate, node agents report each job's run through three statuses,
 * watchers follow job decisions and runs. Part-way through, the replica every client is on is SIGKILLed. Proof:
 * every job is accepted exactly once (a write cut off by the kill is looked up before it is sent again), every run
 * update reaches the run state, every watcher — each resuming from its last token on the surviving replica — sees
 * every decision and every run status exactly once, and no request is answered wrongly.
 */
@Command(name = "gateway-failover", mixinStandardHelpOptions = true,
        description = "Kill the gateway replica clients are on, mid-load: nothing lost, nothing twice, every watch resumed.")
public final class GatewayFailoverScenario extends ChaosScenario {
    private static final List<RunStatus> LIFE = List.of(RunStatus.DEPLOYING, RunStatus.EXECUTING, RunStatus.COMPLETED);
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final java.util.Set<Status.Code> REFUSED_FOR_GOOD = java.util.EnumSet.of(
            Status.Code.UNAUTHENTICATED, Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
            Status.Code.PERMISSION_DENIED, Status.Code.FAILED_PRECONDITION, Status.Code.OUT_OF_RANGE);

    @Option(names = "--jobs", defaultValue = "300", description = "Jobs scheduled (default ${DEFAULT-VALUE}).")
    int jobs = 300;
    @Option(names = "--rate", defaultValue = "20", description = "Jobs per second (default ${DEFAULT-VALUE}).")
    int rate = 20;
    @Option(names = "--nodes", defaultValue = "4", description = "Node agents (default ${DEFAULT-VALUE}).")
    int nodes = 4;
    @Option(names = "--watchers", defaultValue = "3", description = "Watchers of each kind (default ${DEFAULT-VALUE}).")
    int watchers = 3;
    @Option(names = "--kill-at", defaultValue = "0.4", description = "Fraction of jobs sent when the replica is "
            + "killed (default ${DEFAULT-VALUE}).")
    double killAt = 0.4;

    private final AtomicInteger answeredWrongly = new AtomicInteger();
    private final AtomicInteger lookedUpAfterCut = new AtomicInteger();
    private final AtomicLong firstAnswerAfterKill = new AtomicLong();
    private volatile long killedAt;

    public GatewayFailoverScenario() {
    }

    public GatewayFailoverScenario(final int jobs, final int rate, final int nodes, final int watchers) {
        this.jobs = jobs;
        this.rate = rate;
        this.nodes = nodes;
        this.watchers = watchers;
    }

    @Override
    public ChaosReport run() throws Exception {
        try (ChaosPlane plane = ChaosPlane.start();
             ChildJvm apps = StreamsProcess.start(plane, "apps", List.of(PlaneApps.ADMISSION.shortName(),
                     PlaneApps.RUNS.shortName()));
             TopicTail<RunState> runStates = plane.tail(TopicCatalog.RUN_STATE)) {
            final Path dir = plane.scratch("gateways");
            // The first start creates the admin; the second finds it. Both are stopped however the scenario ends.
            try (GatewayReplica first = GatewayReplica.launch("a", dir, plane.bootstrap(),
                    plane.endpoints().schemaRegistryUrl(), Map.of());
                 GatewayReplica second = GatewayReplica.launch("b", dir, plane.bootstrap(),
                         plane.endpoints().schemaRegistryUrl(), Map.of())) {
                final String adminToken = Files.readString(dir.resolve("admin-token")).strip();
                final String target = "127.0.0.1:" + first.port() + ",127.0.0.1:" + second.port();
                final List<ManagedChannel> channels = new ArrayList<>();
                final Supplier<ManagedChannel> client = () -> {
                    final ManagedChannel channel = GatewayChannels.open(target, Optional.empty(), true);
                    channels.add(channel);
                    return channel;
                };
                final ExecutorService agents = Executors.newFixedThreadPool(nodes);
                try {
                    final ManagedChannel adminChannel = client.get();
                    final Map<String, String> nodeTokens = new LinkedHashMap<>();
                    for (int i = 0; i < nodes; i++) {
                        nodeTokens.put("gw-node-" + i, NodeServiceGrpc.newBlockingStub(adminChannel)
                                .withCallCredentials(GatewayChannels.bearer(adminToken)).registerNode(RegisterNodeRequest
                                        .newBuilder().setNode(NodeSpec.newBuilder().setId("gw-node-" + i)
                                                .setIp("10.1.0." + (i + 1)).setRegion("R0")).build()).getToken());
                    }
                    final String userToken = UserServiceGrpc.newBlockingStub(adminChannel)
                            .withCallCredentials(GatewayChannels.bearer(adminToken)).registerUser(RegisterUserRequest
                                    .newBuilder().setId("failover-researcher").setName("F").setRole(Role.USER).build())
                            .getToken();
                    final List<ResumingWatch<JobEvent>> jobWatches = new ArrayList<>();
                    final List<ResumingWatch<RunEvent>> runWatches = new ArrayList<>();
                    for (int i = 0; i < watchers; i++) {
                        final ManagedChannel channel = client.get();
                        jobWatches.add(new ResumingWatch<>((request, observer) -> JobServiceGrpc.newStub(channel)
                                .withCallCredentials(GatewayChannels.bearer(userToken)).watchJobEvents(request, observer),
                                JobEvent::getResumeToken, e -> e.hasDecision() ? e.getDecision().getJobId() + ":"
                                + e.getDecision().getOutcome() : null));
                        runWatches.add(new ResumingWatch<>((request, observer) -> RunServiceGrpc.newStub(channel)
                                .withCallCredentials(GatewayChannels.bearer(userToken)).watchRuns(request, observer),
                                RunEvent::getResumeToken, e -> e.hasRun() ? e.getRun().getRunId() + ":"
                                + e.getRun().getStatus() : null));
                    }
                    Waits.until(() -> jobWatches.stream().allMatch(ResumingWatch::live)
                            && runWatches.stream().allMatch(ResumingWatch::live), PATIENCE);

                    final JobServiceGrpc.JobServiceBlockingStub researcher = JobServiceGrpc.newBlockingStub(client.get())
                            .withCallCredentials(GatewayChannels.bearer(userToken));
                    final Map<String, ManagedChannel> agentChannels = new HashMap<>();
                    nodeTokens.keySet().forEach(node -> agentChannels.put(node, client.get()));
                    final Instant base = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.HOURS);
                    final List<String> accepted = new ArrayList<>();
                    final long started = System.nanoTime();
                    for (int i = 0; i < jobs; i++) {
                        if (i == (int) (jobs * killAt)) {
                            first.jvm().kill();
                            killedAt = System.nanoTime();
                            System.out.println("killed the replica clients were on (SIGKILL) after " + i + " jobs");
                        }
                        final long due = started + i * 1_000_000_000L / rate;
                        Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                        final String node = "gw-node-" + (i % nodes);
                        final JobSpec spec = JobSpec.newBuilder().setId("failover-job-" + i).setNodeId(node)
                                .setType(JobType.ONE_SHOT).setStart(Timestamps.of(base.plus(i / nodes, ChronoUnit.HOURS)))
                                .setEnd(Timestamps.of(base.plus(i / nodes, ChronoUnit.HOURS).plusSeconds(1_200)))
                                .setLengthSeconds(600).setExclusive(true).build();
                        if (schedule(researcher, spec)) {
                            accepted.add(spec.getId());
                            final RunServiceGrpc.RunServiceBlockingStub agent = RunServiceGrpc
                                    .newBlockingStub(agentChannels.get(node))
                                    .withCallCredentials(GatewayChannels.bearer(nodeTokens.get(node)));
                            agents.execute(() -> report(agent, spec));
                        }
                    }
                    agents.shutdown();
                    if (!agents.awaitTermination(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                        throw new IllegalStateException("node agents still reporting after " + PATIENCE);
                    }
                    Waits.until(() -> completed(runStates) >= accepted.size()
                            && jobWatches.stream().allMatch(w -> w.keys().size() >= accepted.size())
                            && runWatches.stream().allMatch(w -> w.keys().size() >= accepted.size() * LIFE.size()),
                            PATIENCE);
                    return report(accepted, runStates, jobWatches, runWatches);
                } finally {
                    agents.shutdownNow();
                    channels.forEach(ManagedChannel::shutdownNow);
                }
            }
        }
    }

    /**
     * Schedules as a careful client does: a call cut off by the replica's death may have been taken, so before
     * sending it again the client looks the job up, and a refusal of the resent job because it exists is checked
     * against the job now stored (its own).
     */
    private boolean schedule(final JobServiceGrpc.JobServiceBlockingStub researcher, final JobSpec spec)
            throws InterruptedException {
        boolean cut = false;
        for (int attempt = 0; attempt < 40; attempt++) {
            try {
                if (cut && exists(researcher, spec.getId())) {
                    lookedUpAfterCut.incrementAndGet();
                    return answered(true);
                }
                final JobDecision decision = researcher.withDeadlineAfter(30, TimeUnit.SECONDS)
                        .scheduleJob(ScheduleJobRequest.newBuilder().setJob(spec).build());
                if (decision.getOutcome() == DecisionOutcome.ACCEPTED) {
                    return answered(true);
                }
                if (cut && exists(researcher, spec.getId())) {
                    lookedUpAfterCut.incrementAndGet();
                    return answered(true);
                }
                System.out.println("wrong answer for " + spec.getId() + ": " + decision.getOutcome() + " "
                        + decision.getReason());
                answeredWrongly.incrementAndGet();
                return answered(false);
            } catch (final StatusRuntimeException e) {
                final Status.Code code = e.getStatus().getCode();
                // UNKNOWN here is the transport's (a call in flight on a connection that closed: "channel
                // closed"); the gateway itself never answers UNKNOWN. Like UNAVAILABLE, the write may have landed.
                if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED
                        && code != Status.Code.UNKNOWN && code != Status.Code.ALREADY_EXISTS) {
                    System.out.println("wrong answer for " + spec.getId() + ": " + e.getStatus());
                    answeredWrongly.incrementAndGet();
                    return false;
                }
                cut = true;
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("job " + spec.getId() + " could not be scheduled through either replica");
    }

    private boolean answered(final boolean result) {
        if (killedAt != 0) {
            firstAnswerAfterKill.compareAndSet(0, System.nanoTime());
        }
        return result;
    }

    private static boolean exists(final JobServiceGrpc.JobServiceBlockingStub researcher, final String jobId) {
        try {
            researcher.withDeadlineAfter(10, TimeUnit.SECONDS).getJob(GetJobRequest.newBuilder().setId(jobId).build());
            return true;
        } catch (final StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** A node agent's reports for the job's run, in order, each sent until a replica takes it (as its outbox does). */
    private static void report(final RunServiceGrpc.RunServiceBlockingStub agent, final JobSpec spec) {
        for (final RunStatus status : LIFE) {
            final UpdateRunRequest update = UpdateRunRequest.newBuilder().setRunId("run-" + spec.getId())
                    .setJobId(spec.getId()).setNodeId(spec.getNodeId()).setScheduledAt(spec.getStart())
                    .setStatus(status).build();
            for (int attempt = 0; ; attempt++) {
                try {
                    agent.withDeadlineAfter(10, TimeUnit.SECONDS).updateRun(update);
                    break;
                } catch (final StatusRuntimeException e) {
                    // As the agent's outbox: these the plane will never take; anything else is sent again.
                    if (attempt > 100 || REFUSED_FOR_GOOD.contains(e.getStatus().getCode())) {
                        throw e;
                    }
                    ChildJvm.sleep(200);
                }
            }
        }
    }

    private static long completed(final TopicTail<RunState> runStates) {
        return runStates.records().stream().filter(s -> s.value() != null
                && s.value().getStatus() == dev.arcturus.avro.RunStatus.COMPLETED).map(TopicTail.Seen::key).distinct()
                .count();
    }

    private ChaosReport report(final List<String> accepted, final TopicTail<RunState> runStates,
                               final List<ResumingWatch<JobEvent>> jobWatches,
                               final List<ResumingWatch<RunEvent>> runWatches) {
        long lost = jobs - accepted.size();
        long duplicated = 0;
        // The plane's own record: every run's three statuses, each once.
        final Map<String, Integer> statesSeen = new HashMap<>();
        runStates.records().stream().filter(s -> s.value() != null)
                .forEach(s -> statesSeen.merge(s.key() + ":" + s.value().getStatus(), 1, Integer::sum));
        final List<String> missing = new ArrayList<>();
        for (final String job : accepted) {
            for (final RunStatus status : LIFE) {
                final int seen = statesSeen.getOrDefault("run-" + job + ":" + status, 0);
                if (seen == 0) {
                    missing.add("run state run-" + job + ":" + status);
                }
                duplicated += Math.max(0, seen - 1);
            }
        }
        int resumes = 0;
        for (final ResumingWatch<?> watch : concat(jobWatches, runWatches)) {
            duplicated += watch.duplicates();
            resumes += watch.resumes();
        }
        for (int w = 0; w < jobWatches.size(); w++) {
            final ResumingWatch<JobEvent> watch = jobWatches.get(w);
            final int watcher = w;
            accepted.stream().filter(job -> !watch.keys().containsKey(job + ":" + DecisionOutcome.ACCEPTED))
                    .forEach(job -> missing.add("job watch " + watcher + ": " + job + " ACCEPTED"));
        }
        for (int w = 0; w < runWatches.size(); w++) {
            final ResumingWatch<RunEvent> watch = runWatches.get(w);
            for (final String job : accepted) {
                for (final RunStatus status : LIFE) {
                    if (!watch.keys().containsKey("run-" + job + ":" + status)) {
                        missing.add("run watch " + w + ": run-" + job + " " + status);
                    }
                }
            }
        }
        lost += missing.size();
        // Say what went missing, so a failed run names it (at most 20 lines).
        missing.stream().limit(20).forEach(m -> System.out.println("lost: " + m));
        concat(jobWatches, runWatches).forEach(ResumingWatch::close);
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("failover_s", firstAnswerAfterKill.get() == 0 ? -1.0
                : Math.round((firstAnswerAfterKill.get() - killedAt) / 1e7) / 100.0);
        figures.put("jobs", jobs);
        figures.put("accepted", accepted.size());
        figures.put("answered_wrongly", answeredWrongly.get());
        figures.put("writes_looked_up_after_cut", lookedUpAfterCut.get());
        figures.put("watchers", jobWatches.size() + runWatches.size());
        figures.put("watch_resumes", resumes);
        figures.put("run_updates", accepted.size() * LIFE.size());
        return new ChaosReport("gateway-failover", lost, duplicated + answeredWrongly.get(), figures,
                answeredWrongly.get() == 0 && resumes >= jobWatches.size() + runWatches.size());
    }

    private static List<ResumingWatch<?>> concat(final List<? extends ResumingWatch<?>> a,
                                                 final List<? extends ResumingWatch<?>> b) {
        final List<ResumingWatch<?>> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Opens a watch, and when it ends, opens it again from the token of the last event received. */
    private static final class ResumingWatch<E> implements StreamObserver<E>, AutoCloseable {
        private final java.util.function.BiConsumer<WatchRequest, StreamObserver<E>> open;
        private final Function<E, String> token;
        private final Function<E, String> key;
        private final Map<String, Integer> keys = new ConcurrentHashMap<>();
        private final AtomicInteger resumes = new AtomicInteger();
        private volatile String lastToken = "";
        private volatile boolean live;
        private volatile boolean closed;

        ResumingWatch(final java.util.function.BiConsumer<WatchRequest, StreamObserver<E>> open,
                      final Function<E, String> token, final Function<E, String> key) {
            this.open = open;
            this.token = token;
            this.key = key;
            open.accept(WatchRequest.getDefaultInstance(), this);
        }

        @Override
        public void onNext(final E event) {
            live = true;
            final String k = key.apply(event);
            if (k != null) {
                keys.merge(k, 1, Integer::sum);
            }
            lastToken = token.apply(event);
        }

        @Override
        public void onError(final Throwable error) {
            if (closed) {
                return;
            }
            resumes.incrementAndGet();
            new Thread(() -> {
                ChildJvm.sleep(200);
                if (!closed) {
                    open.accept(WatchRequest.newBuilder().setResumeToken(lastToken).build(), this);
                }
            }, "resume-watch").start();
        }

        @Override
        public void onCompleted() {
            onError(new IllegalStateException("completed"));
        }

        boolean live() {
            return live;
        }

        Map<String, Integer> keys() {
            return keys;
        }

        long duplicates() {
            return keys.values().stream().mapToLong(n -> n - 1L).sum();
        }

        int resumes() {
            return resumes.get();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
