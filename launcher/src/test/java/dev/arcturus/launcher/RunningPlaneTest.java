package dev.arcturus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcturus.launcher.plane.PlaneSettings;
import dev.arcturus.launcher.plane.RunningPlane;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code ./arcturus up} does, in-process: start, bootstrap, register, stop, and start again on the same data. */
class RunningPlaneTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldStartTheEmbeddedPlaneAndReuseItsDataOnTheNextStart() throws Exception {
        final PlaneSettings settings = new PlaneSettings(dataDir, "127.0.0.1", freePort(), freePort(), 0,
                Optional.empty(), Optional.empty(), (short) 1);
        final Map<String, Integer> idsBefore;
        try (RunningPlane plane = RunningPlane.start(settings)) {
            assertThat(plane.createdTopics()).hasSize(TopicCatalog.all().size());
            assertThat(topicsOn(plane.endpoints()))
                    .containsAll(TopicCatalog.all().stream().map(Topic::name).toList());
            idsBefore = valueSchemaIds(plane.endpoints().registryClient());
            assertThat(idsBefore).containsKeys(TopicCatalog.all().stream().map(t -> t.name() + "-value")
                    .toArray(String[]::new));
        }
        assertThat(Files.exists(dataDir.resolve("kafka/logs/meta.properties"))).as("data kept after stop").isTrue();

        try (RunningPlane again = RunningPlane.start(settings)) {
            assertThat(again.createdTopics()).as("catalogue already there").isEmpty();
            final int port = again.startMetrics("127.0.0.1", 0).port();
            final String scrape = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(scrape).as("JVM and per-app Kafka Streams metrics").contains("jvm_memory_used_bytes")
                    .contains("kafka_stream_thread_process_total").contains("app=\"arcturus-admission\"")
                    .contains("app=\"arcturus-placement\"");
            assertThat(valueSchemaIds(again.endpoints().registryClient()))
                    .as("schema ids survive the restart").isEqualTo(idsBefore);
        }
    }

    @Test
    void shouldUseAnExternalClusterAndRegistryInsteadOfStartingItsOwn() throws Exception {
        final PlaneSettings embedded = new PlaneSettings(dataDir, "127.0.0.1", 0, 0, 0,
                Optional.empty(), Optional.empty(), (short) 1);
        try (RunningPlane cluster = RunningPlane.start(embedded)) {
            final PlaneSettings external = new PlaneSettings(dataDir.resolve("unused"), "127.0.0.1", 0, 0, 0,
                    Optional.of(cluster.endpoints().kafkaBootstrap()),
                    Optional.of(cluster.endpoints().schemaRegistryUrl()), (short) 1);
            try (RunningPlane client = RunningPlane.start(external, cluster.endpoints().kafkaClient())) {
                assertThat(client.isKafkaEmbedded()).isFalse();
                assertThat(client.isRegistryEmbedded()).isFalse();
                assertThat(client.endpoints()).isEqualTo(cluster.endpoints());
                assertThat(client.createdTopics()).isEmpty();
            }
            assertThat(Files.exists(dataDir.resolve("unused/kafka"))).as("no embedded broker was started").isFalse();
        }
    }

    @Test
    void shouldRefuseAnExternalRegistryWithoutAnExternalCluster() {
        assertThatThrownBy(() -> new PlaneSettings(dataDir, "127.0.0.1", 0, 0, 0, Optional.empty(),
                Optional.of("http://registry:8081"), (short) 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("external Kafka");
    }

    private static java.util.Set<String> topicsOn(final dev.arcturus.config.PlaneEndpoints plane) throws Exception {
        try (Admin admin = Admin.create(plane.clientProperties())) {
            return admin.listTopics().names().get();
        }
    }

    private static Map<String, Integer> valueSchemaIds(final SchemaRegistryClient registry) {
        final java.util.TreeMap<String, Integer> ids = new java.util.TreeMap<>();
        registry.subjects().forEach(s -> ids.put(s, registry.version(s, "latest").id()));
        return ids;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
