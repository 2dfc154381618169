package dev.arcturus.tools.chaos;

import dev.arcturus.avro.DecisionOutcome;
import dev.arcturus.avro.JobCommandType;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.GatewaySettings;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.JobSpec;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.NodeSpec;
import dev.arcturus.gateway.api.v1.RegisterNodeRequest;
import dev.arcturus.gateway.api.v1.RegisterUserRequest;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.ScheduleJobRequest;
import dev.arcturus.gateway.api.v1.UserServiceGrpc;
import dev.arcturus.gateway.client.GatewayChannels;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arcturus chaos kill-admission}: schedule requests through the gateway, many in flight at once, while the
 * admission app (its own JVM) is SIGKILLed and restarted. The proof is read back from the decision topic: every
 * request has exactly one decision, and no two accepted exclusive jobs overlap on a node. Each job is an exclusive
 * one-shot pinned to one 10-minute slot on one of a few nodes, so about four in five collide and must be refused.
 */
@Command(name = "kill-admission", mixinStandardHelpOptions = true,
        description = "SIGKILL the admission app during concurrent schedule requests; prove one decision each.")
public final class KillAdmissionScenario extends ChaosScenario {
    private static final Duration SLOT = Duration.ofMinutes(5);
    private static final Duration JOB_LENGTH = Duration.ofMinutes(10);
    private static final int SLOTS = 200;

    @Option(names = "--requests", defaultValue = "10000", description = "Schedule requests (default ${DEFAULT-VALUE}).")
    int requests = 10_000;
    @Option(names = "--nodes", defaultValue = "20", description = "Nodes the jobs target (default ${DEFAULT-VALUE}).")
    int nodes = 20;
    @Option(names = "--in-flight", defaultValue = "1000", description = "Concurrent requests (default ${DEFAULT-VALUE}).")
    int inFlight = 1_000;
    @Option(names = "--kill-at", defaultValue = "0.3",
            description = "Fraction of requests answered when admission is killed (default ${DEFAULT-VALUE}).")
    double killAt = 0.3;

    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final AtomicInteger answered = new AtomicInteger();

    public KillAdmissionScenario() {
    }

    public KillAdmissionScenario(final int requests, final int nodes, final int inFlight) {
        this.requests = requests;
        this.nodes = nodes;
        this.inFlight = inFlight;
    }

    @Override
    public ChaosReport run() throws Exception {
        try (ChaosPlane plane = ChaosPlane.start()) {
            final Path adminToken = plane.scratch("gateway").resolve("admin-token");
            final ChildJvm[] admission = {StreamsProcess.start(plane, "admission", List.of("admission"))};
            try (TopicTail<JobDecision> decisions = plane.tail(TopicCatalog.JOB_DECISION);
                 Gateway gateway = Gateway.start(plane.endpoints(), new GatewaySettings("127.0.0.1", 0,
                         Optional.empty(), Duration.ofMinutes(3), adminToken), Clock.systemUTC())) {
                final ManagedChannel channel = GatewayChannels.open("127.0.0.1:" + gateway.port(), Optional.empty(),
                        true);
                try {
                    final String user = prepare(channel, Files.readString(adminToken).strip());
                    final Map<String, JobSpec> jobs = jobs();
                    final Monkey monkey = new Monkey(plane, admission);
                    final long started = System.nanoTime();
                    monkey.start();
                    send(channel, user, jobs);
                    final double seconds = (System.nanoTime() - started) / 1e9;
                    monkey.join();
                    if (monkey.failure != null) {
                        throw new IllegalStateException("the kill/restart failed", monkey.failure);
                    }
                    Waits.until(() -> decidedJobs(decisions.records()).keySet().containsAll(jobs.keySet()),
                            Duration.ofMinutes(2));
                    return report(jobs, decisions.records(), seconds, monkey);
                } finally {
                    channel.shutdownNow();
                }
            } finally {
                admission[0].close();
            }
        }
    }

    /** Registers the nodes and a researcher; returns the researcher's token. */
    private String prepare(final ManagedChannel channel, final String adminToken) {
        final var nodesApi = NodeServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(adminToken));
        for (int i = 0; i < nodes; i++) {
            nodesApi.registerNode(RegisterNodeRequest.newBuilder().setNode(NodeSpec.newBuilder().setId(node(i))
                    .setIp("10.0.0." + (i + 1)).setRegion("R" + (i % 4))).build());
        }
        return UserServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(adminToken))
                .registerUser(RegisterUserRequest.newBuilder().setId("chaos-researcher").setName("Chaos")
                        .setRole(Role.USER).build()).getToken();
    }

    private Map<String, JobSpec> jobs() {
        final Random random = new Random(7);
        final Instant base = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);
        final Map<String, JobSpec> jobs = new LinkedHashMap<>();
        for (int i = 0; i < requests; i++) {
            final Instant start = base.plus(SLOT.multipliedBy(random.nextInt(SLOTS)));
            final String id = "chaos-job-" + i;
            jobs.put(id, JobSpec.newBuilder().setId(id).setNodeId(node(random.nextInt(nodes)))
                    .setType(JobType.ONE_SHOT).setStart(Timestamps.of(start)).setEnd(Timestamps.of(start.plus(JOB_LENGTH)))
                    .setLengthSeconds((int) JOB_LENGTH.toSeconds()).setExclusive(true).build());
        }
        return jobs;
    }

    /** Every request at once, {@code inFlight} at a time; returns when all are answered (or failed). */
    private void send(final ManagedChannel channel, final String user, final Map<String, JobSpec> jobs)
            throws InterruptedException {
        final Semaphore slots = new Semaphore(inFlight);
        final var api = JobServiceGrpc.newStub(channel).withCallCredentials(GatewayChannels.bearer(user));
        for (final JobSpec job : jobs.values()) {
            slots.acquire();
            api.withDeadlineAfter(5, TimeUnit.MINUTES).scheduleJob(ScheduleJobRequest.newBuilder().setJob(job).build(),
                    new StreamObserver<>() {
                        @Override
                        public void onNext(final dev.arcturus.gateway.api.v1.JobDecision decision) {
                            answers.put(job.getId(), decision.getOutcome().name());
                        }

                        @Override
                        public void onError(final Throwable error) {
                            answers.put(job.getId(), Status.fromThrowable(error).getCode().name());
                            done();
                        }

                        @Override
                        public void onCompleted() {
                            done();
                        }

                        private void done() {
                            answered.incrementAndGet();
                            slots.release();
                        }
                    });
        }
        slots.acquire(inFlight);
    }

    /** Kills admission once enough requests are answered, and starts it again. */
    private final class Monkey extends Thread {
        private final ChaosPlane plane;
        private final ChildJvm[] admission;
        private volatile Throwable failure;
        private final AtomicLong killedAtMillis = new AtomicLong();
        private final AtomicLong restartedAtMillis = new AtomicLong();
        private volatile int answeredAtKill;

        Monkey(final ChaosPlane plane, final ChildJvm[] admission) {
            super("chaos-monkey");
            this.plane = plane;
            this.admission = admission;
        }

        @Override
        public void run() {
            try {
                while (answered.get() < requests * killAt) {
                    Thread.sleep(10);
                }
                answeredAtKill = answered.get();
                admission[0].kill();
                killedAtMillis.set(System.currentTimeMillis());
                System.out.printf("SIGKILLed admission (pid %d) with %d of %d requests answered%n",
                        admission[0].pid(), answeredAtKill, requests);
                admission[0] = StreamsProcess.start(plane, "admission", List.of("admission"));
                restartedAtMillis.set(System.currentTimeMillis());
                System.out.printf("admission running again after %.1f s%n",
                        (restartedAtMillis.get() - killedAtMillis.get()) / 1e3);
            } catch (final Throwable e) {
                failure = e;
            }
        }
    }

    /** The SCHEDULE decisions seen, by job id. */
    private static Map<String, List<JobDecision>> decidedJobs(final List<TopicTail.Seen<JobDecision>> seen) {
        final Map<String, List<JobDecision>> byJob = new HashMap<>();
        for (final TopicTail.Seen<JobDecision> record : seen) {
            final JobDecision decision = record.value();
            if (decision.getCommandType() == JobCommandType.SCHEDULE && decision.getJobId() != null) {
                byJob.computeIfAbsent(decision.getJobId(), id -> new ArrayList<>()).add(decision);
            }
        }
        return byJob;
    }

    private ChaosReport report(final Map<String, JobSpec> jobs, final List<TopicTail.Seen<JobDecision>> seen,
                               final double seconds, final Monkey monkey) {
        final Map<String, List<JobDecision>> decided = decidedJobs(seen);
        final long lost = jobs.keySet().stream().filter(id -> !decided.containsKey(id)).count();
        final long duplicated = decided.values().stream().mapToLong(list -> list.size() - 1L).sum();
        final List<JobSpec> accepted = jobs.values().stream().filter(job -> decided.getOrDefault(job.getId(), List.of())
                .stream().anyMatch(d -> d.getOutcome() == DecisionOutcome.ACCEPTED)).toList();
        final long mismatched = jobs.keySet().stream().filter(id -> decided.containsKey(id) && answers.containsKey(id)
                && isOutcome(answers.get(id)) && !answers.get(id).equals(decided.get(id).get(0).getOutcome().name()))
                .count();
        final long clientErrors = answers.values().stream().filter(a -> !isOutcome(a)).count();
        final long firstDecisionAfterKill = seen.stream().mapToLong(TopicTail.Seen::seenAtMillis)
                .filter(t -> t > monkey.killedAtMillis.get()).min().orElse(Long.MAX_VALUE);
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("requests", jobs.size());
        figures.put("accepted", accepted.size());
        figures.put("rejected", decided.size() - accepted.size());
        figures.put("overlaps", overlaps(accepted));
        figures.put("answered_at_kill", monkey.answeredAtKill);
        figures.put("client_errors", clientErrors);
        figures.put("client_mismatches", mismatched);
        figures.put("decisions_resumed_s", (firstDecisionAfterKill - monkey.killedAtMillis.get()) / 1e3);
        figures.put("requests_per_s", jobs.size() / seconds);
        return new ChaosReport("kill-admission", lost, duplicated, figures);
    }

    private static boolean isOutcome(final String answer) {
        return "ACCEPTED".equals(answer) || "REJECTED".equals(answer);
    }

    /** Pairs of accepted exclusive jobs on the same node whose fixed slots overlap (brute force per node). */
    static long overlaps(final List<JobSpec> accepted) {
        final Map<String, List<JobSpec>> byNode = new HashMap<>();
        accepted.forEach(job -> byNode.computeIfAbsent(job.getNodeId(), n -> new ArrayList<>()).add(job));
        long overlaps = 0;
        for (final List<JobSpec> onNode : byNode.values()) {
            onNode.sort(Comparator.comparingLong(job -> job.getStart().getSeconds()));
            for (int i = 0; i < onNode.size(); i++) {
                for (int j = i + 1; j < onNode.size()
                        && onNode.get(j).getStart().getSeconds() < onNode.get(i).getEnd().getSeconds(); j++) {
                    overlaps++;
                }
            }
        }
        return overlaps;
    }

    private static String node(final int i) {
        return "chaos-node-" + i;
    }
}
