package dev.arcturus.tools.bench;

import dev.arcturus.avro.RunState;
import dev.arcturus.avro.RunStatus;
import dev.arcturus.bus.BusCredentials;
import dev.arcturus.bus.BusPrincipal;
import dev.arcturus.config.KafkaClientSettings;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.gateway.api.v1.GetRunsRequest;
import dev.arcturus.gateway.api.v1.GetRunsResponse;
import dev.arcturus.gateway.api.v1.PageRequest;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.api.v1.TimeRange;
import dev.arcturus.gateway.client.GatewayChannels;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.tools.chaos.GatewayReplica;
import dev.arcturus.tools.chaos.JvmHeap;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arcturus bench run-history}: a synthetic fleet's history of runs (by default 10 million: 1,000 nodes with
 * five hourly jobs each, 2,000 hours back, all inside the default 90-day hot window) written to the runs topic, then a
 * gateway started in its own JVM as a new replica would be: how long until it serves, what its heap holds after a full
 * GC, how fast it answers GetRuns by run, job, node (a day) and owner (paging), and how long a restart after SIGKILL
 * takes (it resumes from its on-disk store instead of replaying). Searches are timed twice: right after the cold start
 * (while RocksDB compacts what the bulk load wrote, on the same two cores) and after the restart (settled); the
 * {@code get_runs_by_*} figures are the settled ones, the {@code after_cold_start_*} ones the first.
 */
@Command(name = "run-history", mixinStandardHelpOptions = true,
        description = "Run history at fleet scale: gateway heap, cold start and GetRuns latency over millions of runs.")
public final class RunHistoryBenchmark implements Callable<Integer> {
    private static final Clock CLOCK = Clock.systemUTC();

    @Option(names = "--runs", defaultValue = "10000000", description = "Run states to load (default ${DEFAULT-VALUE}).")
    long runs;

    @Option(names = "--nodes", defaultValue = "1000", description = "Nodes (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--jobs-per-node", defaultValue = "5", description = "Hourly jobs per node (default ${DEFAULT-VALUE}).")
    int jobsPerNode;

    @Option(names = "--owners", defaultValue = "200", description = "Users owning the jobs (default ${DEFAULT-VALUE}).")
    int owners;

    @Option(names = "--queries", defaultValue = "1000", description = "Timed calls per kind (default ${DEFAULT-VALUE}).")
    int queries;

    @picocli.CommandLine.Mixin
    private BusOption bus = new BusOption();

    private final Random random = new Random(42);
    private Instant firstHour;
    private long hours;

    @Override
    public Integer call() throws Exception {
        final int jobs = nodes * jobsPerNode;
        hours = (runs + jobs - 1) / jobs;
        firstHour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(hours, ChronoUnit.HOURS);
        try (BenchPlane plane = BenchPlane.start(bus.secured())) {
            final double loadSeconds = load(plane, jobs);
            final Path dir = plane.stateDir().resolve("gateway");
            Files.createDirectories(dir);
            final Map<String, String> env = new java.util.HashMap<>();
            if (plane.secured()) {
                final Path login = dir.resolve("gateway.properties");
                BusCredentials.writeLogin(login, plane.endpointsOf(BusPrincipal.GATEWAY).kafkaClient());
                env.put(KafkaClientSettings.PROPERTIES_ENV, login.toString());
            }
            final long coldStarted = System.nanoTime();
            GatewayReplica gateway = GatewayReplica.launch("cold", dir, plane.bootstrap(),
                    plane.endpoints().schemaRegistryUrl(), env);
            final double coldStartSeconds = (System.nanoTime() - coldStarted) / 1e9;
            System.out.printf("a new replica served after %.1f s%n", coldStartSeconds);
            try {
                final String token = Files.readString(dir.resolve("admin-token")).strip();
                final Map<String, Double> p99 = queries(gateway.port(), token, jobs);
                final long heapBytes = JvmHeap.afterFullGc(gateway.jvm().pid());
                final long storeAfterLoad = sizeOf(dir.resolve("state-cold"));
                gateway.jvm().kill();
                final long restarted = System.nanoTime();
                gateway = GatewayReplica.launch("cold", dir, plane.bootstrap(), plane.endpoints().schemaRegistryUrl(),
                        env); // the same replica again, on the store it left
                final double restartSeconds = (System.nanoTime() - restarted) / 1e9;
                System.out.printf("restarted after SIGKILL in %.1f s; searching again%n",
                        restartSeconds);
                final Map<String, Double> steady = queries(gateway.port(), token, jobs);
                final long storeLater = sizeOf(dir.resolve("state-cold"));
                System.out.printf("RESULT run-history bus=%s runs=%d load_s=%.1f gateway_heap_mb=%d cold_start_s=%.1f "
                                + "restart_after_kill_s=%.1f get_runs_by_run_p99_ms=%.2f get_runs_by_job_p99_ms=%.2f "
                                + "get_runs_by_node_p99_ms=%.2f get_runs_by_owner_p99_ms=%.2f "
                                + "after_cold_start_by_run_p99_ms=%.2f after_cold_start_by_job_p99_ms=%.2f "
                                + "after_cold_start_by_node_p99_ms=%.2f after_cold_start_by_owner_p99_ms=%.2f "
                                + "store_mb_after_load=%d store_mb_later=%d%n",
                        bus.label(), hours * jobs, loadSeconds, heapBytes >> 20, coldStartSeconds, restartSeconds,
                        steady.get("run"), steady.get("job"), steady.get("node"), steady.get("owner"),
                        p99.get("run"), p99.get("job"), p99.get("node"), p99.get("owner"), storeAfterLoad >> 20,
                        storeLater >> 20);
            } finally {
                gateway.close();
            }
        }
        return 0;
    }

    /** Writes every run state of the synthetic fleet (load time reported apart from everything else). */
    private double load(final BenchPlane plane, final int jobs) {
        final long total = hours * jobs;
        final long started = System.nanoTime();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final AtomicLong acknowledged = new AtomicLong();
        try (KafkaProducer<String, RunState> producer = new KafkaProducer<>(plane.client(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 50, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.BUFFER_MEMORY_CONFIG, 256L << 20)),
                new StringSerializer(), TopicCatalog.RUN_STATE.valueSerde(plane.registry()).serializer())) {
            for (long hour = 0; hour < hours; hour++) {
                for (int job = 0; job < jobs; job++) {
                    final RunState run = run(job, hour, hour == hours - 1);
                    producer.send(new ProducerRecord<>(TopicCatalog.RUN_STATE.name(), run.getRunId(), run), (m, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        } else {
                            acknowledged.incrementAndGet();
                        }
                    });
                }
                if (hour % 200 == 199) {
                    System.out.printf("loaded %,d of %,d run states%n", (hour + 1) * jobs, total);
                }
            }
            producer.flush();
        }
        if (failure.get() != null || acknowledged.get() != total) {
            throw new IllegalStateException("loading runs failed after " + acknowledged.get() + " of " + total,
                    failure.get());
        }
        final double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("loaded %,d run states in %.1f s (%,.0f/s)%n", total, seconds, total / seconds);
        return seconds;
    }

    private RunState run(final int job, final long hour, final boolean open) {
        final Instant scheduled = firstHour.plus(hour, ChronoUnit.HOURS).plusSeconds(job % 3_600);
        return RunState.newBuilder().setMetadata(EventMetadatas.newMetadata("bench", CLOCK))
                .setRunId(runId(job, hour)).setJobId(jobId(job)).setNodeId(nodeOf(job)).setOwnerId(ownerOf(job))
                .setScheduledAt(scheduled).setStatus(open ? RunStatus.EXECUTING : RunStatus.COMPLETED)
                .setStartedAt(scheduled).setEndedAt(open ? null : scheduled.plusSeconds(300))
                .setLastUpdated(open ? scheduled : scheduled.plusSeconds(300)).setExitCode(open ? null : 0)
                .setArtifactBlob(open ? null : "runs/" + nodeOf(job) + "/" + jobId(job) + "/" + hour + ".zip")
                .setUpdateCount(open ? 2 : 4).build();
    }

    private static String runId(final int job, final long hour) {
        return "run-" + job + "-" + hour;
    }

    private static String jobId(final int job) {
        return "job-" + job;
    }

    private String nodeOf(final int job) {
        return "node-" + (job % nodes);
    }

    private String ownerOf(final int job) {
        return "user-" + (job % owners);
    }

    /** p99 of each kind of search, each timed alone, after a warm-up of the same kind. */
    private Map<String, Double> queries(final int port, final String token, final int jobs) {
        final Map<String, Double> p99 = new java.util.LinkedHashMap<>();
        p99.put("run", p99(pick(() -> byRun(jobs)), port, token));
        p99.put("job", p99(pick(() -> GetRunsRequest.newBuilder().setJobId(jobId(random.nextInt(jobs)))
                .setPage(PageRequest.newBuilder().setPageSize(100)).build()), port, token));
        p99.put("node", p99(pick(() -> {
            final Instant day = firstHour.plus(random.nextInt((int) Math.max(1, hours - 24)), ChronoUnit.HOURS);
            return GetRunsRequest.newBuilder().setNodeId("node-" + random.nextInt(nodes))
                    .setScheduled(TimeRange.newBuilder().setStart(Timestamps.of(day))
                            .setEnd(Timestamps.of(day.plus(1, ChronoUnit.DAYS))))
                    .setPage(PageRequest.newBuilder().setPageSize(1_000)).build();
        }), port, token));
        p99.put("owner", p99(pick(() -> GetRunsRequest.newBuilder().setOwnerId("user-" + random.nextInt(owners))
                .setPage(PageRequest.newBuilder().setPageSize(100)).build()), port, token));
        p99.forEach((kind, value) -> System.out.printf("get_runs by %s: p99 %.2f ms%n", kind, value));
        return p99;
    }

    private GetRunsRequest byRun(final int jobs) {
        return GetRunsRequest.newBuilder().setRunId(runId(random.nextInt(jobs), random.nextInt((int) hours))).build();
    }

    private List<GetRunsRequest> pick(final Supplier<GetRunsRequest> next) {
        final List<GetRunsRequest> requests = new ArrayList<>();
        for (int i = 0; i < queries + queries / 5; i++) {
            requests.add(next.get());
        }
        return requests;
    }

    /**
     * Times each request (the first fifth is warm-up); an owner's search follows its page tokens five pages deep, each
     * page timed as one call, as a user paging through their history would.
     */
    private double p99(final List<GetRunsRequest> requests, final int port, final String token) {
        final ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            final RunServiceGrpc.RunServiceBlockingStub runs = RunServiceGrpc.newBlockingStub(channel)
                    .withCallCredentials(GatewayChannels.bearer(token));
            final int warmUp = requests.size() - queries;
            final long[] nanos = new long[queries];
            int timed = 0;
            long found = 0;
            for (int i = 0; i < requests.size() && timed < queries; i++) {
                GetRunsRequest request = requests.get(i);
                final int pages = request.getOwnerId().isEmpty() ? 1 : 5;
                for (int page = 0; page < pages && timed < queries; page++) {
                    final long started = System.nanoTime();
                    final GetRunsResponse response = runs.withDeadlineAfter(10, TimeUnit.SECONDS).getRuns(request);
                    final long took = System.nanoTime() - started;
                    if (i >= warmUp) {
                        nanos[timed++] = took;
                    }
                    found += response.getRunsCount();
                    if (response.getNextPageToken().isEmpty()) {
                        break;
                    }
                    request = request.toBuilder().setPage(request.getPage().toBuilder()
                            .setPageToken(response.getNextPageToken())).build();
                }
            }
            if (found == 0) {
                throw new IllegalStateException("no run found by " + requests.get(0) + ": the history did not load");
            }
            final long[] sorted = Arrays.copyOf(nanos, timed);
            Arrays.sort(sorted);
            System.out.printf("  %d calls: p50 %.2f ms, p90 %.2f ms, max %.2f ms%n", timed,
                    sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.9)] / 1e6,
                    sorted[sorted.length - 1] / 1e6);
            return sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6;
        } finally {
            channel.shutdownNow();
        }
    }

    /** Bytes of every file under {@code dir} (the replica's run store on disk). */
    private static long sizeOf(final Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }
}
