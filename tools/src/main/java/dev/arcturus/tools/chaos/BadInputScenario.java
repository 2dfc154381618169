package dev.arcturus.tools.chaos;

import dev.arcturus.apps.PlaneApps;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.avro.RunState;
import dev.arcturus.avro.RunStatus;
import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.GatewaySettings;
import dev.arcturus.gateway.api.v1.ConfigServiceGrpc;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.JobSpec;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.NodeSpec;
import dev.arcturus.gateway.api.v1.PlaneServiceGrpc;
import dev.arcturus.gateway.api.v1.RegisterNodeRequest;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.api.v1.ScheduleJobRequest;
import dev.arcturus.gateway.api.v1.TaskServiceGrpc;
import dev.arcturus.gateway.api.v1.UserServiceGrpc;
import dev.arcturus.gateway.client.GatewayChannels;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.streams.StreamsAppKind;
import dev.arcturus.streams.StreamsAppRunner;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arcturus chaos bad-input}: undecodable bytes and records that decode but make no sense on every topic the
 * streams apps read from outside, then invalid, oversized and fuzzed requests to every unary RPC, with valid traffic
 * in between. Each bad record must reach its app's dead-letter topic with a reason, each bad request must get a clear
 * status (never UNKNOWN, never an unexplained INTERNAL), and the valid traffic must come out exactly once.
 */
@Command(name = "bad-input", mixinStandardHelpOptions = true,
        description = "Bad records on every input topic and bad requests to every RPC; prove the plane shrugs.")
public final class BadInputScenario extends ChaosScenario {
    /** The topics each app reads from outside the plane (its DLQ is {@code <application id>.dlq}). */
    static final Map<StreamsAppKind, List<Topic<?>>> INPUTS = Map.of(
            PlaneApps.LIVENESS, List.of(TopicCatalog.NODE_HEARTBEAT, TopicCatalog.NODE_SYSTEM_INFO,
                    TopicCatalog.REGION_PROBE, TopicCatalog.NODE_REGISTRATION),
            PlaneApps.NETWORK, List.of(TopicCatalog.NODE_SYSTEM_INFO, TopicCatalog.REGION_PROBE),
            PlaneApps.ADMISSION, List.of(TopicCatalog.JOB_COMMAND, TopicCatalog.NODE_REGISTRATION),
            PlaneApps.RUNS, List.of(TopicCatalog.RUN_UPDATE),
            PlaneApps.PLACEMENT, List.of(TopicCatalog.PLACEMENT_COMMAND));
    /**
     * Undecodable bytes and one nonsense record per (app, input topic). (Placement used to show only one: the garbage
     * registration stopped the app through its global store before it read the nonsense command.)
     */
    private static final int DEAD_LETTERS_PER_INPUT = 2;
    private static final String MESSAGE_HEADER = "__streams.errors.message";
    private static final String TOPIC_HEADER = "__streams.errors.topic";
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    /** Fuzzed requests are raw bytes, whatever the method's request type. */
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(final byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(final InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    @Option(names = "--fuzz-per-method", defaultValue = "50", description = "Random requests per RPC (default ${DEFAULT-VALUE}).")
    int fuzzPerMethod = 50;

    public BadInputScenario() {
    }

    public BadInputScenario(final int fuzzPerMethod) {
        this.fuzzPerMethod = fuzzPerMethod;
    }

    @Override
    public ChaosReport run() throws Exception {
        // Every app: paths reads the same topics only through global stores, where bad records are skipped, not
        // dead-lettered; it must still be running at the end like the rest.
        final List<String> apps = StreamsProcess.allApps();
        try (ChaosPlane plane = ChaosPlane.start()) {
            final ChildJvm streams = StreamsProcess.start(plane, "plane", apps);
            final Path adminToken = plane.scratch("gateway").resolve("admin-token");
            final Map<StreamsAppKind, TopicTail<byte[]>> deadLetters = new LinkedHashMap<>();
            INPUTS.keySet().forEach(app -> deadLetters.put(app, new TopicTail<>(plane.bootstrap(),
                    StreamsAppRunner.deadLetterTopic(app.applicationId()), new ByteArrayDeserializer())));
            try (streams;
                 TopicTail<NodeLiveness> liveness = plane.tail(TopicCatalog.NODE_LIVENESS);
                 TopicTail<JobDecision> decisions = plane.tail(TopicCatalog.JOB_DECISION);
                 TopicTail<RunState> runs = plane.tail(TopicCatalog.RUN_STATE);
                 KafkaProducer<String, SpecificRecord> producer = plane.producer();
                 Gateway gateway = Gateway.start(plane.endpoints(), new GatewaySettings("127.0.0.1", 0,
                         Optional.empty(), Duration.ofSeconds(30), adminToken), Clock.systemUTC())) {
                final int badRecords = sendBadRecords(plane, producer);
                final Instant now = Instant.now();
                sendValid(producer, now);
                final long expectedDeadLetters = INPUTS.values().stream().mapToLong(List::size).sum()
                        * DEAD_LETTERS_PER_INPUT;
                final boolean allDeadLettered = Waits.until(() -> deadLetters.values().stream()
                        .mapToLong(t -> t.records().size()).sum() >= expectedDeadLetters, PATIENCE);
                Waits.until(() -> liveness.count(s -> "good-node".equals(s.key())) > 0, PATIENCE);
                Waits.until(() -> decisions.count(s -> "good-job".equals(s.key())) > 0, PATIENCE);
                Waits.until(() -> runs.count(s -> "good-run".equals(s.key())
                        && s.value().getStatus() == RunStatus.COMPLETED) > 0, PATIENCE);
                final ManagedChannel channel = GatewayChannels.open("127.0.0.1:" + gateway.port(), Optional.empty(),
                        true);
                final Map<String, Object> figures = new LinkedHashMap<>();
                try {
                    final String admin = Files.readString(adminToken).strip();
                    final RpcOutcomes rpc = requests(channel, admin);
                    figures.put("bad_records", badRecords);
                    figures.put("dead_letters", deadLetters.values().stream().mapToLong(t -> t.records().size()).sum());
                    figures.put("dead_letters_without_reason", deadLetters.values().stream().mapToLong(t -> t.count(
                            s -> s.headers().getOrDefault(MESSAGE_HEADER, "").isBlank())).sum());
                    figures.put("dead_letter_sources_missing", missingSources(deadLetters));

                    figures.put("bad_requests", rpc.sent);
                    figures.put("invalid_argument", rpc.invalidArgument);
                    figures.put("unclear_errors", rpc.unclear);
                    figures.put("plane_alive", streams.isAlive() && allGroupsHaveMembers(plane) ? 1 : 0);
                    figures.put("valid_rpc_after", rpc.validAfter ? 1 : 0);
                    rpc.unclearSamples.forEach(System.out::println);
                } finally {
                    channel.shutdownNow();
                }
                // The valid traffic: one liveness view, one decision, one final run state; none may be missing or
                // come out twice.
                final long lost = (liveness.count(s -> "good-node".equals(s.key())) == 0 ? 1 : 0)
                        + (decisions.count(s -> "good-job".equals(s.key())) == 0 ? 1 : 0)
                        + (runs.count(s -> "good-run".equals(s.key())) == 0 ? 1 : 0)
                        + (allDeadLettered ? 0 : 1);
                final long duplicated = Math.max(0, decisions.count(s -> "good-job".equals(s.key())) - 1);
                return new ChaosReport("bad-input", lost, duplicated, figures);
            } finally {
                deadLetters.values().forEach(TopicTail::close);
            }
        }
    }

    /** Per input topic: random bytes, bytes with the wire format's magic byte but garbage after, and nonsense. */
    private static int sendBadRecords(final ChaosPlane plane, final KafkaProducer<String, SpecificRecord> producer) {
        final Random random = new Random(3);
        final Set<Topic<?>> topics = new java.util.LinkedHashSet<>();
        INPUTS.values().forEach(topics::addAll);
        int sent = 0;
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrap()), new StringSerializer(),
                new ByteArraySerializer())) {
            for (final Topic<?> topic : topics) {
                final byte[] garbage = new byte[64];
                random.nextBytes(garbage);
                garbage[0] = 0; // the wire format's magic byte, so decoding gets as far as the schema id
                raw.send(new ProducerRecord<>(topic.name(), "bad-bytes", garbage));
                sent++;
            }
            raw.flush();
        }
        final Instant now = Instant.now();
        final var beat = ChaosRecords.heartbeat("bad-node", 1, Duration.ofSeconds(10));
        beat.setIntervalMs(-5);
        final var info = ChaosRecords.systemInfo("bad-node", now, 250);
        final var probe = ChaosRecords.probe("bad-node", -3L);
        final var registration = ChaosRecords.registration("bad-node", " ");
        final var command = ChaosRecords.schedule(ChaosRecords.fixedSlotJob("bad-job", "good-node", now,
                Duration.ofMinutes(5)));
        command.setCommandId("");
        final var update = ChaosRecords.runUpdate("bad-run", "", now, RunStatus.EXECUTING);
        final var placement = ChaosRecords.placementSubmit("");
        final List<ProducerRecord<String, SpecificRecord>> nonsense = List.of(
                new ProducerRecord<>(TopicCatalog.NODE_HEARTBEAT.name(), "bad-node", beat),
                new ProducerRecord<>(TopicCatalog.NODE_SYSTEM_INFO.name(), "bad-node", info),
                new ProducerRecord<>(TopicCatalog.REGION_PROBE.name(), "bad-node", probe),
                new ProducerRecord<>(TopicCatalog.NODE_REGISTRATION.name(), "bad-node", registration),
                new ProducerRecord<>(TopicCatalog.JOB_COMMAND.name(), "bad-job", command),
                new ProducerRecord<>(TopicCatalog.RUN_UPDATE.name(), "bad-run", update),
                new ProducerRecord<>(TopicCatalog.PLACEMENT_COMMAND.name(), "bad-placement", placement));
        for (final ProducerRecord<String, SpecificRecord> record : nonsense) {
            try {
                producer.send(record).get(30, TimeUnit.SECONDS);
            } catch (final Exception e) {
                throw new IllegalStateException("cannot send the nonsense record to " + record.topic(), e);
            }
        }
        return sent + 7;
    }

    private static void sendValid(final KafkaProducer<String, SpecificRecord> producer, final Instant now) {
        producer.send(new ProducerRecord<>(TopicCatalog.NODE_REGISTRATION.name(), "good-node",
                ChaosRecords.registration("good-node", "R0")));
        producer.send(new ProducerRecord<>(TopicCatalog.NODE_HEARTBEAT.name(), "good-node",
                ChaosRecords.heartbeat("good-node", 1, Duration.ofSeconds(10))));
        producer.send(new ProducerRecord<>(TopicCatalog.JOB_COMMAND.name(), "good-job", ChaosRecords.schedule(
                ChaosRecords.fixedSlotJob("good-job", "good-node", now.plus(Duration.ofDays(1))
                        .truncatedTo(ChronoUnit.HOURS), Duration.ofMinutes(5)))));
        for (final RunStatus status : List.of(RunStatus.SCHEDULED, RunStatus.EXECUTING, RunStatus.COMPLETED)) {
            producer.send(new ProducerRecord<>(TopicCatalog.RUN_UPDATE.name(), "good-run",
                    ChaosRecords.runUpdate("good-run", "good-node", now, status)));
        }
        producer.flush();
    }

    /** Every app still in its group: an app that stopped on bad input (state ERROR) leaves it empty. */
    private static boolean allGroupsHaveMembers(final ChaosPlane plane) {
        return PlaneApps.all().stream()
                .allMatch(app -> ConsumerGroups.stableMembers(plane.admin(), app.applicationId()) > 0);
    }

    /** (app, input topic) pairs with fewer dead letters naming that topic as their source than expected. */
    private static long missingSources(final Map<StreamsAppKind, TopicTail<byte[]>> deadLetters) {
        long missing = 0;
        for (final var entry : INPUTS.entrySet()) {
            for (final Topic<?> topic : entry.getValue()) {
                final long found = deadLetters.get(entry.getKey()).count(
                        s -> topic.name().equals(s.headers().get(TOPIC_HEADER)));
                if (found < DEAD_LETTERS_PER_INPUT) {
                    System.out.printf("missing dead letters: %s has %d of %d from %s%n",
                            entry.getKey().applicationId(), found, DEAD_LETTERS_PER_INPUT, topic.name());
                    missing++;
                }
            }
        }
        return missing;
    }

    /** What the gateway answered to bad requests. */
    private static final class RpcOutcomes {
        int sent;
        int invalidArgument;
        int unclear;
        boolean validAfter;
        final List<String> unclearSamples = new ArrayList<>();

        void record(final String method, final Status status) {
            sent++;
            if (status.getCode() == Status.Code.INVALID_ARGUMENT) {
                invalidArgument++;
            }
            // UNKNOWN and INTERNAL mean the server did not understand what went wrong; every refusal must say why.
            if (status.getCode() == Status.Code.UNKNOWN || status.getCode() == Status.Code.INTERNAL
                    || (status.getCode() != Status.Code.OK && (status.getDescription() == null
                    || status.getDescription().isBlank()))) {
                unclear++;
                if (unclearSamples.size() < 10) {
                    unclearSamples.add("unclear answer from " + method + ": " + status);
                }
            }
        }
    }

    private RpcOutcomes requests(final ManagedChannel channel, final String admin) {
        final RpcOutcomes outcomes = new RpcOutcomes();
        final var jobs = JobServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(admin))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        final Instant start = Instant.now().plus(Duration.ofDays(1));
        final JobSpec valid = JobSpec.newBuilder().setId("rpc-job").setNodeId("good-node").setType(JobType.ONE_SHOT)
                .setStart(Timestamps.of(start)).setEnd(Timestamps.of(start.plus(Duration.ofMinutes(5)))).setLengthSeconds(300)
                .setExclusive(true).build();
        final List<JobSpec> invalid = List.of(valid.toBuilder().setId("bad id!").build(),
                valid.toBuilder().setLengthSeconds(-1).build(), valid.toBuilder().setSchedule("61 * * * *")
                        .setType(JobType.CRON).build(), valid.toBuilder().setNodeId("").build(),
                valid.toBuilder().setId("x".repeat(10_000)).build(),
                valid.toBuilder().setConfig("y".repeat(3 << 20)).build(),
                valid.toBuilder().setTrigger("cpu >>> 3").build());
        for (final JobSpec spec : invalid) {
            outcomes.record("ScheduleJob", status(() -> jobs.scheduleJob(ScheduleJobRequest.newBuilder().setJob(spec)
                    .build())));
        }
        final byte[] oversized = new byte[5 << 20];
        outcomes.record("RegisterNode (5 MiB)", status(() -> NodeServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(GatewayChannels.bearer(admin)).registerNode(RegisterNodeRequest.newBuilder()
                        .setNode(NodeSpec.newBuilder().setId("big").setIp("10.0.0.9").setRegion("R0")
                                .setDescription(new String(oversized, java.nio.charset.StandardCharsets.ISO_8859_1)))
                        .build())));
        final Random random = new Random(11);
        for (final ServiceDescriptor service : List.of(JobServiceGrpc.getServiceDescriptor(),
                NodeServiceGrpc.getServiceDescriptor(), RunServiceGrpc.getServiceDescriptor(),
                UserServiceGrpc.getServiceDescriptor(), TaskServiceGrpc.getServiceDescriptor(),
                ConfigServiceGrpc.getServiceDescriptor(), PlaneServiceGrpc.getServiceDescriptor())) {
            for (final MethodDescriptor<?, ?> method : service.getMethods()) {
                if (method.getType() != MethodDescriptor.MethodType.UNARY) {
                    continue;
                }
                final MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
                        .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(method.getFullMethodName())
                        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
                for (int i = 0; i < fuzzPerMethod; i++) {
                    final byte[] request = new byte[random.nextInt(512)];
                    random.nextBytes(request);
                    outcomes.record(method.getFullMethodName(), status(() -> ClientCalls.blockingUnaryCall(
                            channel.newCall(raw, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)
                                    .withCallCredentials(GatewayChannels.bearer(admin))), request)));
                }
            }
        }
        outcomes.validAfter = status(() -> jobs.scheduleJob(ScheduleJobRequest.newBuilder().setJob(valid).build()))
                .isOk();
        return outcomes;
    }

    private static Status status(final Runnable call) {
        try {
            call.run();
            return Status.OK;
        } catch (final StatusRuntimeException e) {
            return e.getStatus();
        }
    }
}
