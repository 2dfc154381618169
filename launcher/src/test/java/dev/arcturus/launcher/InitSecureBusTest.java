package dev.arcturus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcturus.bus.BusCredentials;
import dev.arcturus.bus.BusPrincipal;
import dev.arcturus.launcher.plane.PlaneSettings;
import dev.arcturus.launcher.plane.RunningPlane;
import dev.arcturus.launcher.serve.InitCommand;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code arcturus init --secure-bus} does for an external cluster what {@code up} does for its own: as the cluster's
 * admin it gives every component a SCRAM login (written owner-only, the admin's own left to the operator) and the
 * plane's ACLs. Here the "external" cluster is an embedded, secured one.
 */
class InitSecureBusTest {
    @TempDir
    Path dir;

    @Test
    void shouldGiveEveryComponentItsLoginAndOnlyItsGrants() throws Exception {
        final PlaneSettings settings = new PlaneSettings(dir.resolve("data"), "127.0.0.1", 0, 0, 0, Optional.empty(),
                Optional.empty(), (short) 1);
        try (RunningPlane cluster = RunningPlane.start(settings)) {
            final Path logins = dir.resolve("deployment-logins");
            final int exit = new CommandLine(new InitCommand()).execute("--kafka-bootstrap",
                    cluster.endpoints().kafkaBootstrap(), "--schema-registry-url", cluster.endpoints().schemaRegistryUrl(),
                    "--replication-factor", "1", "--secure-bus", logins.toString(), "--admin-properties",
                    BusCredentials.fileOf(RunningPlane.credentialsDir(settings), BusPrincipal.ADMIN).toString());
            assertThat(exit).isZero();
            assertThat(Files.exists(BusCredentials.fileOf(logins, BusPrincipal.ADMIN))).as("the admin is the operator's")
                    .isFalse();
            final BusCredentials components = BusCredentials.loadOrCreate(logins, BusPrincipal.components());
            assertThat(components.principals()).containsExactlyInAnyOrderElementsOf(BusPrincipal.components());

            final var asSink = components.clientSettings(BusPrincipal.SINK_MYSQL);
            try (Admin admin = Admin.create(asSink.clientProperties(cluster.endpoints().kafkaBootstrap()))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .contains(TopicCatalog.NODE_REGISTRATION.name()).doesNotContain(TopicCatalog.USER.name());
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(asSink.with(
                    cluster.endpoints().kafkaBootstrap(), Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)),
                    new StringSerializer(), new StringSerializer())) {
                // It writes what its change capture reads from MySQL, and nothing else: not a job command.
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(TopicCatalog.JOB_COMMAND.name(),
                        "k", "v")).get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
    }
}
