package dev.arcturus.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicCatalogTest {
    @Test
    void shouldNameEveryTopicByConvention() {
        final Set<String> names = new HashSet<>();
        TopicCatalog.all().forEach(t -> {
            assertThat(t.name()).matches("[a-z]+(\\.[a-z][a-z-]*)+\\.v[0-9]+");
            // Kafka maps '.' and '_' to the same metric name, so a name using '.' must never use '_'.
            assertThat(t.name()).doesNotContain("_");
            assertThat(names.add(t.name())).as("duplicate %s", t.name()).isTrue();
        });
    }

    @Test
    void shouldCompactStateTopicsAndExpireEventTopics() {
        assertThat(TopicCatalog.NODE_LIVENESS.configs())
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")
                .doesNotContainKey(TopicConfig.RETENTION_MS_CONFIG);
        assertThat(TopicCatalog.NODE_HEARTBEAT.configs())
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "delete")
                .containsEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(24 * 3600 * 1000L));
    }

    @Test
    void shouldCoPartitionTopicsKeyedByTheSameEntity() {
        TopicCatalog.all().stream().filter(t -> t.key().equals("nodeId"))
                .forEach(t -> assertThat(t.partitions()).as(t.name()).isEqualTo(TopicCatalog.ENTITY_PARTITIONS));
    }

    @Test
    void shouldListEveryTopicInTheArchitectureDocument() throws IOException {
        final String doc = Files.readString(Path.of("../docs/architecture.md"));
        TopicCatalog.all().forEach(t -> assertThat(doc).as("docs/architecture.md lists %s", t.name())
                .contains("`" + t.name() + "`"));
    }
}
