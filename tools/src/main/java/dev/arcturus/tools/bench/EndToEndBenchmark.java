package dev.arcturus.tools.bench;

import dev.arcturus.admission.AdmissionApp;
import dev.arcturus.admission.AdmissionConfig;
import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.GatewaySettings;
import dev.arcturus.gateway.api.v1.DecisionOutcome;
import dev.arcturus.gateway.api.v1.IssuedToken;
import dev.arcturus.gateway.api.v1.JobDecision;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.JobSpec;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.RegisterUserRequest;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.ScheduleJobRequest;
import dev.arcturus.gateway.api.v1.UserServiceGrpc;
import dev.arcturus.gateway.client.GatewayChannels;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.tools.fleet.SyntheticFleet;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arcturus bench e2e}: ScheduleJob through the gRPC gateway (TCP, loopback) → Kafka → admission → decision →
 * the gateway's view → reply, with 10,000 registered nodes. Measures sustained requests/s with many in flight, then
 * p50/p99 latency under an open-loop 500 requests/s. Ends with {@code RESULT e2e ids=<minted|named> req_per_s=<n>
 * p50_ms=<n> p99_ms=<n> raw_records_per_s=<n> share_of_raw=<f>}, the raw rate measured on the same broker first.
 * Jobs leave their id to the gateway (as a client that does not name them), unless {@code --named-ids}.
 */
@Command(name = "e2e", mixinStandardHelpOptions = true,
        description = "schedule_job end to end through the gateway, admission and back.")
public final class EndToEndBenchmark implements Callable<Integer> {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final Instant EPOCH = Instant.parse("2027-06-01T00:00:00Z");

    @Option(names = "--nodes", defaultValue = "10000", description = "Registered nodes (default ${DEFAULT-VALUE}).")
    private int nodes;
    @Option(names = "--requests", defaultValue = "20000", description = "Requests in the throughput phase.")
    private int requests;
    @Option(names = "--in-flight", defaultValue = "256", description = "Concurrent requests in the throughput phase.")
    private int inFlight;
    @Option(names = "--rate", defaultValue = "500", description = "Requests/s in the latency phase.")
    private int rate;
    @Option(names = "--rate-seconds", defaultValue = "20", description = "Length of the latency phase.")
    private int rateSeconds;

    @Option(names = "--named-ids", description = "Name every job (e2e-0, e2e-1, …) instead of leaving the id to the "
            + "gateway, which makes one up in the node's partition so admission decides in one hop.")
    private boolean namedIds;

    private final AtomicInteger jobCounter = new AtomicInteger();
    @picocli.CommandLine.Mixin
    private BusOption bus = new BusOption();

    @Override
    public Integer call() throws Exception {
        try (BenchPlane plane = BenchPlane.start(bus.secured())) {
            plane.registerNodes(nodes);
            System.out.printf("registered %d nodes%n", nodes);
            final double raw = RawKafkaRate.measure(plane);
            try (AdmissionApp ignored = AdmissionApp.start(AdmissionConfig.defaults(
                    plane.endpointsOf(dev.arcturus.bus.BusPrincipal.ADMISSION),
                    plane.stateDir()), Duration.ofSeconds(120));
                 Gateway gateway = Gateway.start(plane.endpointsOf(dev.arcturus.bus.BusPrincipal.GATEWAY),
                         new GatewaySettings("127.0.0.1", 0, Optional.empty(),
                         Duration.ofSeconds(30), plane.stateDir().resolve("admin-token")), CLOCK)) {
                final ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext()
                        .build();
                try {
                    final String adminToken = Files.readString(gateway.newAdminTokenFile().orElseThrow()).strip();
                    final IssuedToken user = UserServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(adminToken))
                            .registerUser(RegisterUserRequest.newBuilder().setId("bench").setName("Bench")
                                    .setRole(Role.USER).build());
                    final JobServiceGrpc.JobServiceStub jobs = JobServiceGrpc.newStub(channel)
                            .withCallCredentials(GatewayChannels.bearer(user.getToken()));
                    warmUp(jobs);
                    final double throughput = throughput(jobs);
                    final long[] latency = latencyAtRate(jobs);
                    System.out.printf("RESULT e2e bus=" + bus.label() + " ids=%s req_per_s=%d p50_ms=%d p99_ms=%d %s%n",
                            namedIds ? "named" : "minted", Math.round(throughput), latency[0], latency[1],
                            RawKafkaRate.resultFields(raw, throughput));
                } finally {
                    channel.shutdownNow();
                }
            }
        }
        return 0;
    }

    private void warmUp(final JobServiceGrpc.JobServiceStub jobs) throws InterruptedException {
        final long[] ignored = new long[500];
        run(jobs, 500, 64, ignored);
    }

    private double throughput(final JobServiceGrpc.JobServiceStub jobs) throws InterruptedException {
        final long start = System.nanoTime();
        final long[] latencies = new long[requests];
        final int rejected = run(jobs, requests, inFlight, latencies);
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("throughput: %d schedule_job requests (%d in flight, %d rejected) answered in %.1f s%n",
                requests, inFlight, rejected, seconds);
        return requests / seconds;
    }

    /** Sends {@code count} requests with at most {@code window} outstanding; returns how many were rejected. */
    private int run(final JobServiceGrpc.JobServiceStub jobs, final int count, final int window, final long[] latencies)
            throws InterruptedException {
        final Semaphore slots = new Semaphore(window);
        final CountDownLatch done = new CountDownLatch(count);
        final AtomicInteger rejected = new AtomicInteger();
        for (int i = 0; i < count; i++) {
            slots.acquire();
            send(jobs, latencies, i, rejected, () -> {
                slots.release();
                done.countDown();
            });
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("requests still outstanding after 10 minutes");
        }
        return rejected.get();
    }

    /** Open loop: requests leave on a fixed schedule whatever the replies do, so queueing shows in the latency. */
    private long[] latencyAtRate(final JobServiceGrpc.JobServiceStub jobs) throws InterruptedException {
        final int count = rate * rateSeconds;
        final long[] latencies = new long[count];
        final CountDownLatch done = new CountDownLatch(count);
        final AtomicInteger rejected = new AtomicInteger();
        final long intervalNanos = 1_000_000_000L / rate;
        final long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            final long due = start + i * intervalNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, 1_000_000));
            }
            send(jobs, latencies, i, rejected, done::countDown);
        }
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("latency phase still outstanding after 5 minutes");
        }
        Arrays.sort(latencies);
        final long p50 = latencies[count / 2] / 1_000_000;
        final long p99 = latencies[(int) (count * 0.99)] / 1_000_000;
        System.out.printf("latency at %d requests/s for %d s: p50 %d ms, p99 %d ms, max %d ms (%d rejected)%n", rate,
                rateSeconds, p50, p99, latencies[count - 1] / 1_000_000, rejected.get());
        return new long[] {p50, p99};
    }

    private void send(final JobServiceGrpc.JobServiceStub jobs, final long[] latencies, final int index,
                      final AtomicInteger rejected, final Runnable finished) {
        final long sent = System.nanoTime();
        jobs.scheduleJob(ScheduleJobRequest.newBuilder().setJob(nextJob()).build(), new StreamObserver<>() {
            @Override
            public void onNext(final JobDecision decision) {
                if (decision.getOutcome() != DecisionOutcome.ACCEPTED) {
                    rejected.incrementAndGet();
                }
            }

            @Override
            public void onError(final Throwable error) {
                rejected.incrementAndGet();
                latencies[index] = System.nanoTime() - sent;
                finished.run();
            }

            @Override
            public void onCompleted() {
                latencies[index] = System.nanoTime() - sent;
                finished.run();
            }
        });
    }

    /** An hourly cron over one day on the next node in turn, in its own minute, so most are accepted. */
    private JobSpec nextJob() {
        final int n = jobCounter.getAndIncrement();
        final int minute = (n / nodes) % 60;
        return JobSpec.newBuilder().setId(namedIds ? "e2e-" + n : "").setNodeId(node(n % nodes)).setType(JobType.CRON)
                .setSchedule(minute + " * * * *").setStart(Timestamps.of(EPOCH)).setEnd(Timestamps.of(EPOCH.plus(Duration.ofDays(1))))
                .setLengthSeconds(30).setExclusive(true).setConfig("docker:\n  image: arcturus/busybox:test\n").build();
    }

    /** The id {@link BenchPlane#registerNodes} registered node {@code i} under. */
    private static String node(final int i) {
        return SyntheticFleet.nodeId(i);
    }
}
