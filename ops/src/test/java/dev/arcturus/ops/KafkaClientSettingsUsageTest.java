package dev.arcturus.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Kafka client a component creates starts from the shared client settings ({@code KafkaClientSettings}: the
 * {@code ARCTURUS_KAFKA_PROPERTIES} file and {@code ARCTURUS_KAFKA_CLIENT_*} variables), so a secured cluster is
 * reachable by all of them or none. A client configured with its own bootstrap would silently skip the security
 * settings; this fails the build when one appears in a component's production code. The harnesses that drive their
 * own embedded broker (embedded-kafka, test-support, tools) are exempt.
 */
class KafkaClientSettingsUsageTest {
    private static final Set<String> COMPONENTS = Set.of("schemas", "registry", "scheduling", "gateway-api",
            "streams-apps", "gateway", "node-connector", "sinks", "cli", "launcher");
    private static final String SHARED = "schemas/src/main/java/dev/arcturus/config/KafkaClientSettings.java";

    @Test
    void shouldBuildEveryComponentsKafkaClientsFromTheSharedSettings() throws IOException {
        final List<Path> scanned;
        try (Stream<Path> files = Files.walk(OpsFiles.ROOT)) {
            scanned = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> COMPONENTS.contains(OpsFiles.ROOT.relativize(f).getName(0).toString()))
                    .filter(f -> OpsFiles.ROOT.relativize(f).toString().contains("/src/main/java/"))
                    .filter(f -> !OpsFiles.ROOT.relativize(f).toString().equals(SHARED)).toList();
        }
        assertThat(scanned).as("the scan reaches the components' clients")
                .anyMatch(f -> f.endsWith(Path.of("dev", "arcturus", "gateway", "state", "PlaneWriter.java")))
                .anyMatch(f -> f.endsWith(Path.of("dev", "arcturus", "streams", "StreamsAppRunner.java")));
        final List<String> offenders = scanned.stream().filter(KafkaClientSettingsUsageTest::setsItsOwnBootstrap)
                .map(f -> OpsFiles.ROOT.relativize(f).toString()).sorted().toList();
        assertThat(offenders).as("clients configured around KafkaClientSettings").isEmpty();
    }

    @Test
    void shouldRecogniseAClientConfiguredOnItsOwn() {
        assertThat(sets("Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)")).isTrue();
        assertThat(sets("props.put(\"bootstrap.servers\", b)")).isTrue();
        assertThat(sets("endpoints.kafkaClient().with(endpoints.kafkaBootstrap(), Map.of())")).isFalse();
    }

    private static boolean setsItsOwnBootstrap(final Path file) {
        try {
            return sets(Files.readString(file));
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean sets(final String source) {
        return source.contains("BOOTSTRAP_SERVERS_CONFIG") || source.contains("\"bootstrap.servers\"");
    }
}
