package dev.arcturus.launcher.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobCommandType;
import dev.arcturus.avro.JobKind;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.config.KafkaClientSettings;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.GatewaySettings;
import dev.arcturus.gateway.api.v1.GetJobRequest;
import dev.arcturus.gateway.api.v1.Job;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.NodeSpec;
import dev.arcturus.gateway.api.v1.RegisterNodeRequest;
import dev.arcturus.gateway.api.v1.RegisterUserRequest;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.UserServiceGrpc;
import dev.arcturus.gateway.client.GatewayChannels;
import dev.arcturus.launcher.plane.PlaneSettings;
import dev.arcturus.launcher.plane.RunningPlane;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryException;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A stock Kafka client granted with {@code arcturus bus grant-producer} produces job requests as its user and as no
 * one else: its job is decided and owned by that user, another user's request topic refuses it, and the registry
 * lets it look schemas up but not register them. The client here does what any Confluent-format producer does: it
 * looks the schema id up and writes magic byte, id and Avro binary.
 */
class GrantProducerTest {
    @TempDir
    Path dir;

    @Test
    void shouldLetAGrantedClientProduceJobRequestsAsItsUserOnly() throws Exception {
        final PlaneSettings settings = new PlaneSettings(dir.resolve("data"), "127.0.0.1", 0, 0, 0, Optional.empty(),
                Optional.empty(), (short) 1);
        try (RunningPlane plane = RunningPlane.start(settings)) {
            final Gateway gateway = plane.startGateway(new GatewaySettings("127.0.0.1", 0, Optional.empty(),
                    GatewaySettings.DEFAULT_DECISION_DEADLINE, dir.resolve("admin-token")));
            final ManagedChannel channel = GatewayChannels.open("127.0.0.1:" + gateway.port(), Optional.empty(), true);
            try {
                final String admin = Files.readString(dir.resolve("admin-token")).strip();
                NodeServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(admin))
                        .registerNode(RegisterNodeRequest.newBuilder().setNode(NodeSpec.newBuilder().setId("node-1")
                                .setIp("192.0.2.1").setRegion("leo")).build());
                final String carol = UserServiceGrpc.newBlockingStub(channel)
                        .withCallCredentials(GatewayChannels.bearer(admin)).registerUser(RegisterUserRequest
                                .newBuilder().setId("carol").setName("Carol").setRole(Role.USER).build()).getToken();

                final int exit = new CommandLine(new GrantProducerCommand()).execute("carol", "--kafka-clients-dir",
                        RunningPlane.credentialsDir(settings).toString(), "--kafka-bootstrap",
                        plane.endpoints().kafkaBootstrap(), "--schema-registry-url",
                        plane.endpoints().schemaRegistryUrl());
                assertThat(exit).isZero();
                final Path login = RunningPlane.producersDir(settings).resolve("carol.properties");
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(login))).isEqualTo("rw-------");
                final KafkaClientSettings asCarol = KafkaClientSettings.fromFile(login);

                final HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(
                        plane.endpoints().schemaRegistryUrl(), asCarol.registryUserInfo());
                final int schemaId = registry.lookup("jobs.request.carol-value", JobCommand.getClassSchema())
                        .orElseThrow().id();
                assertThatThrownBy(() -> registry.register("carol-own-value", JobCommand.getClassSchema()))
                        .isInstanceOf(SchemaRegistryException.class);

                final Instant start = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS);
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(asCarol.with(
                        plane.endpoints().kafkaBootstrap(), Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)),
                        new StringSerializer(), new ByteArraySerializer())) {
                    // requestedBy and the owner left to the stamp, as a stock client may.
                    producer.send(new ProducerRecord<>("jobs.request.carol", "carol-job", encode(schemaId,
                            schedule("carol-job", start)))).get(30, TimeUnit.SECONDS);
                    assertThatThrownBy(() -> producer.send(new ProducerRecord<>("jobs.request.alice", "x",
                            encode(schemaId, schedule("x", start)))).get(30, TimeUnit.SECONDS))
                            .isInstanceOf(ExecutionException.class)
                            .hasCauseInstanceOf(TopicAuthorizationException.class);
                }

                final JobServiceGrpc.JobServiceBlockingStub jobs = JobServiceGrpc.newBlockingStub(channel)
                        .withCallCredentials(GatewayChannels.bearer(carol));
                final Job job = Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreException(
                        StatusRuntimeException.class).until(() -> jobs.getJob(GetJobRequest.newBuilder()
                        .setId("carol-job").build()), j -> true);
                assertThat(job.getOwnerId()).isEqualTo("carol");
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private static JobCommand schedule(final String jobId, final Instant start) {
        return JobCommand.newBuilder().setMetadata(EventMetadatas.newMetadata("stock-client", Clock.systemUTC()))
                .setCommandId("cmd-" + jobId).setType(JobCommandType.SCHEDULE).setJobId(jobId).setRequestedBy("")
                .setSpec(JobSpec.newBuilder().setJobId(jobId).setOwner("").setKind(JobKind.ONE_SHOT)
                        .setTargetNodeId("node-1").setWindowStart(start).setWindowEnd(start.plusSeconds(3600))
                        .setLengthSeconds(60).setExclusive(true).build()).build();
    }

    /** The Confluent wire format: magic byte 0, the schema id, the Avro binary. */
    private static byte[] encode(final int schemaId, final JobCommand command) throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(JobCommand.class).write(command, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
