package dev.arcturus.tools.chaos;

import dev.arcturus.apps.PlaneApps;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobCommandType;
import dev.arcturus.avro.RunState;
import dev.arcturus.avro.RunStatus;
import dev.arcturus.avro.User;
import dev.arcturus.avro.UserRole;
import dev.arcturus.bus.BusCredentials;
import dev.arcturus.bus.BusPrincipal;
import dev.arcturus.config.KafkaClientSettings;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.GatewaySettings;
import dev.arcturus.gateway.api.v1.DecisionOutcome;
import dev.arcturus.gateway.api.v1.GetJobRequest;
import dev.arcturus.gateway.api.v1.GetUserRequest;
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
import dev.arcturus.gateway.auth.Tokens;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.launcher.plane.PlaneSettings;
import dev.arcturus.launcher.plane.RunningPlane;
import dev.arcturus.registry.client.CompatibilityLevel;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * The plane as {@code ./arcturus up} runs it (secured bus) against intruders who reach Kafka and the registry
 * directly: an anonymous client, a client holding a sink's credentials (a sink may only read), and an impostor with
 * the gateway's name but a guessed password each try every forgery — an ADMIN user record with a token of their
 * choosing, a DELETE of another user's job, a run handed to another owner, a forged heartbeat, deleting a topic,
 * registering a schema and changing compatibility. Insiders whose principal may write a topic but who lie in the
 * record (placement's credentials deleting a user's job as someone else; the gateway's credentials handing a run to
 * another owner) are stopped by the apps' own checks. Then the plane must still work: a user's job is accepted.
 *
 * <p>A forgery counts as accepted if the bus took it or its effect is visible afterwards (the forged token signs
 * in, the job is gone, a run belongs to the intruder, the topic or subject changed).
 */
@Command(name = "intruder", mixinStandardHelpOptions = true,
        description = "Intruders on Kafka and the registry try every forgery; none may be accepted.")
public final class IntruderScenario extends ChaosScenario {
    private static final Logger log = LoggerFactory.getLogger(IntruderScenario.class);
    private static final String NODE = "node-1";
    private static final String JOB = "alice-job";
    private static final String RUN = "alice-job-run-1";
    private static final String FORGED_TOKEN = "arc_forged-token-of-the-intruders-own-choosing-0123456789";
    private static final String FORGED_SUBJECT = "intruder-value";

    @Override
    public ChaosReport run() throws Exception {
        final Path dir = Files.createTempDirectory("arcturus-intruder-");
        final PlaneSettings settings = new PlaneSettings(dir.resolve("data"), "127.0.0.1", 0, 0, 0, Optional.empty(),
                Optional.empty(), (short) 1);
        try (RunningPlane plane = RunningPlane.start(settings)) {
            final Gateway gateway = plane.startGateway(new GatewaySettings("127.0.0.1", 0, Optional.empty(),
                    GatewaySettings.DEFAULT_DECISION_DEADLINE, dir.resolve("admin-token")));
            final ManagedChannel channel = GatewayChannels.open("127.0.0.1:" + gateway.port(), Optional.empty(), true);
            try {
                return attack(plane, BusCredentials.loadOrCreate(RunningPlane.credentialsDir(settings)), channel,
                        Files.readString(dir.resolve("admin-token")).strip());
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private ChaosReport attack(final RunningPlane plane, final BusCredentials credentials,
                               final ManagedChannel channel, final String adminToken) throws Exception {
        final PlaneEndpoints admin = plane.endpoints();
        NodeServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(adminToken))
                .registerNode(RegisterNodeRequest.newBuilder().setNode(NodeSpec.newBuilder().setId(NODE)
                        .setIp("192.0.2.1").setRegion("leo")).build());
        final String alice = UserServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(adminToken))
                .registerUser(RegisterUserRequest.newBuilder().setId("alice").setName("Alice").setRole(Role.USER)
                        .build()).getToken();
        requireAccepted(channel, alice, JOB);

        final SchemaRegistryClient registry = admin.registryClient();
        final Map<String, byte[]> forged = forgedRecords(registry);
        int attempts = 0;
        int accepted = 0;
        final int deadLettered;
        try (TopicTail<RunState> runStates = new TopicTail<>(admin, TopicCatalog.RUN_STATE.name(),
                TopicCatalog.RUN_STATE.valueSerde(registry).deserializer());
             TopicTail<byte[]> admissionDlq = new TopicTail<>(admin, deadLetters(PlaneApps.ADMISSION),
                     new ByteArrayDeserializer());
             TopicTail<byte[]> runStateDlq = new TopicTail<>(admin, deadLetters(PlaneApps.RUNS),
                     new ByteArrayDeserializer())) {
            final List<Supplier<Intrusion>> outsiders = List.of(
                    () -> new Intrusion("anonymous", admin, KafkaClientSettings.none()),
                    () -> new Intrusion(BusPrincipal.SINK_MONGO.name(), admin,
                            credentials.clientSettings(BusPrincipal.SINK_MONGO)),
                    () -> new Intrusion("impostor " + BusPrincipal.GATEWAY.name(), admin, KafkaClientSettings.sasl(
                            "SCRAM-SHA-512", BusPrincipal.GATEWAY.name(), "a-guessed-password")));
            for (final Supplier<Intrusion> outsider : outsiders) {
                try (Intrusion intruder = outsider.get()) {
                    intruder.produce("ADMIN user record", TopicCatalog.USER, "mallory", forged.get("user"));
                    intruder.produce("DELETE of alice's job", TopicCatalog.JOB_COMMAND, JOB, forged.get("delete"));
                    intruder.produce("run handed to mallory", TopicCatalog.RUN_UPDATE, RUN, forged.get("run"));
                    intruder.produce("forged heartbeat", TopicCatalog.NODE_HEARTBEAT, NODE, forged.get("heartbeat"));
                    intruder.deleteTopic("topic delete", TopicCatalog.JOB_STATE.name());
                    intruder.registerSchema("schema registration", FORGED_SUBJECT,
                            org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING));
                    intruder.setCompatibility("compatibility change", CompatibilityLevel.NONE);
                    attempts += intruder.attempts();
                    accepted += intruder.accepted();
                }
            }
            // Insiders: principals that may write the topic, lying in the record; the apps check it.
            try (Intrusion placement = new Intrusion(BusPrincipal.PLACEMENT.name(), admin,
                    credentials.clientSettings(BusPrincipal.PLACEMENT));
                 Intrusion gatewayCreds = new Intrusion(BusPrincipal.GATEWAY.name(), admin,
                         credentials.clientSettings(BusPrincipal.GATEWAY))) {
                placement.smuggle("DELETE of alice's job as mallory", TopicCatalog.JOB_COMMAND, JOB,
                        forged.get("delete"));
                gatewayCreds.smuggle("run of alice's job claiming owner mallory", TopicCatalog.RUN_UPDATE, RUN,
                        forged.get("run"));
                attempts += placement.attempts() + gatewayCreds.attempts();
            }
            // Each insider's record ends in its app's dead-letter topic, with the reason.
            deadLettered = Waits.until(() -> admissionDlq.records().size() + runStateDlq.records().size() >= 2,
                    Duration.ofSeconds(30)) ? admissionDlq.records().size() + runStateDlq.records().size() : 0;
            admissionDlq.records().forEach(r -> log.info("Admission dead-lettered the insider's command: {}",
                    r.headers().get("__streams.errors.message")));
            runStateDlq.records().forEach(r -> log.info("Run-state dead-lettered the insider's update: {}",
                    r.headers().get("__streams.errors.message")));
            accepted += effects(plane, channel, adminToken, alice, runStates, registry);
        }
        final boolean alive = planeAlive(channel, alice);
        log.info("Intruders: {} forgeries tried, {} accepted; plane alive: {}", attempts, accepted, alive);
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("accepted_forgeries", accepted);
        figures.put("attempts", attempts);
        figures.put("insiders_dead_lettered", deadLettered);
        figures.put("plane_alive", alive ? 1 : 0);
        return new ChaosReport("intruder", 0, 0, figures, accepted == 0 && alive && deadLettered == 2);
    }

    private static String deadLetters(final dev.arcturus.streams.StreamsAppKind app) {
        return dev.arcturus.streams.StreamsAppRunner.deadLetterTopic(app.applicationId());
    }

    /** Forgeries whose effect is visible afterwards, whatever the bus answered at the time. */
    private static int effects(final RunningPlane plane, final ManagedChannel channel, final String adminToken,
                               final String alice, final TopicTail<RunState> runStates,
                               final SchemaRegistryClient registry) throws Exception {
        int effects = 0;
        try {
            UserServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(FORGED_TOKEN))
                    .getUser(GetUserRequest.newBuilder().setId("mallory").build());
            log.error("EFFECT: the forged token signs in at the gateway");
            effects++;
        } catch (final StatusRuntimeException expected) {
            log.info("The forged token does not sign in: {}", expected.getStatus().getCode());
        }
        try {
            JobServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(alice))
                    .getJob(GetJobRequest.newBuilder().setId(JOB).build());
        } catch (final StatusRuntimeException gone) {
            log.error("EFFECT: alice's job is gone: {}", gone.getStatus());
            effects++;
        }
        if (runStates.count(s -> s.value() != null && "mallory".equals(s.value().getOwnerId().toString())) > 0) {
            log.error("EFFECT: a run belongs to mallory");
            effects++;
        }
        try (Admin admin = Admin.create(plane.endpoints().clientProperties())) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(TopicCatalog.JOB_STATE.name())) {
                log.error("EFFECT: the job-state topic was deleted");
                effects++;
            }
        }
        if (registry.subjects().contains(FORGED_SUBJECT)) {
            log.error("EFFECT: the intruder's schema is registered");
            effects++;
        }
        return effects;
    }

    private static boolean planeAlive(final ManagedChannel channel, final String alice) {
        try {
            requireAccepted(channel, alice, "alice-job-after");
            return true;
        } catch (final RuntimeException e) {
            log.error("The plane does not accept a user's job after the intrusion", e);
            return false;
        }
    }

    private static void requireAccepted(final ManagedChannel channel, final String token, final String jobId) {
        final Instant start = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS);
        final var decision = JobServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(token))
                .scheduleJob(ScheduleJobRequest.newBuilder().setJob(JobSpec.newBuilder().setId(jobId).setNodeId(NODE)
                        .setType(JobType.ONE_SHOT).setStart(Timestamps.of(start))
                        .setEnd(Timestamps.of(start.plus(Duration.ofHours(1)))).setLengthSeconds(60)
                        .setConfig("docker:\n  image: busybox:1\n")).build());
        if (decision.getOutcome() != DecisionOutcome.ACCEPTED) {
            throw new IllegalStateException("job " + jobId + " was not accepted: " + decision.getReason());
        }
    }

    /** The forged records, encoded with the plane's own schema ids. */
    private static Map<String, byte[]> forgedRecords(final SchemaRegistryClient registry) throws Exception {
        final Clock clock = Clock.systemUTC();
        final Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("user", encode(registry, TopicCatalog.USER, User.newBuilder()
                .setMetadata(EventMetadatas.newMetadata("intruder", clock)).setUserId("mallory").setName("Mallory")
                .setRole(UserRole.ADMIN).setTokenHash(Tokens.hash(FORGED_TOKEN))
                .setTokenIssuedAt(clock.instant()).build()));
        records.put("delete", encode(registry, TopicCatalog.JOB_COMMAND, JobCommand.newBuilder()
                .setMetadata(EventMetadatas.newMetadata("intruder", clock)).setCommandId("forged-delete")
                .setType(JobCommandType.DELETE).setJobId(JOB).setRequestedBy("mallory").build()));
        records.put("run", encode(registry, TopicCatalog.RUN_UPDATE, dev.arcturus.avro.RunUpdate.newBuilder(
                ChaosRecords.runUpdate(RUN, NODE, clock.instant(), RunStatus.COMPLETED))
                .setJobId(JOB).setOwnerId("mallory").setArtifactBlob("https://blob.invalid/alice.zip").build()));
        records.put("heartbeat", encode(registry, TopicCatalog.NODE_HEARTBEAT,
                ChaosRecords.heartbeat(NODE, 999_999, Duration.ofSeconds(10))));
        return records;
    }

    private static <V extends SpecificRecord> byte[] encode(final SchemaRegistryClient registry, final Topic<V> topic,
                                                            final V value) {
        return topic.valueSerde(registry).serializer().serialize(topic.name(), value);
    }
}
