package dev.arcturus.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.topics.CleanupPolicy;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps every released schema version under {@code src/test/resources/avro-history/<FullName>/vN.avsc} and fails
 * the build when the current schema cannot read data written with any of them (BACKWARD_TRANSITIVE). Compacted
 * state topics are read by many consumers at different versions, so they must also stay FORWARD compatible.
 *
 * <p>To release a changed schema, record it: {@code ./mvnw -pl schemas test -Darcturus.schemas.snapshot=true}
 * writes the current version as the next {@code vN.avsc} for every schema that changed.
 */
class SchemaEvolutionTest {
    private static final Path HISTORY = Path.of("src/test/resources/avro-history");
    private static final boolean SNAPSHOT = Boolean.getBoolean("arcturus.schemas.snapshot");

    static Stream<Topic<?>> catalogue() {
        return TopicCatalog.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void shouldReadEveryReleasedVersion(final Topic<?> topic) throws IOException {
        final Schema current = topic.valueSchema();
        if (SNAPSHOT) {
            recordIfChanged(current);
        }
        final List<Schema> released = released(current.getFullName());
        assertThat(released).as("no released version of %s: record it with -Darcturus.schemas.snapshot=true",
                current.getFullName()).isNotEmpty();
        for (final Schema old : released) {
            assertCompatible("backward", current, old, current.getFullName());
            if (topic.cleanup() == CleanupPolicy.COMPACT) {
                assertCompatible("forward", old, current, current.getFullName());
            }
        }
    }

    @Test
    void shouldDetectABreakingChange() {
        // Proves the check above can fail: a new required field without a default breaks old data.
        final Schema current = TopicCatalog.NODE_HEARTBEAT.valueSchema();
        final String broken = current.toString().replace("\"fields\":[",
                "\"fields\":[{\"name\":\"mandatory\",\"type\":\"string\"},");
        final Schema next = new Schema.Parser().parse(broken);

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(next, current).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    private static void assertCompatible(final String direction, final Schema reader, final Schema writer,
                                         final String name) {
        final var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertThat(result.getType()).as("%s compatibility of %s: %s", direction, name,
                result.getResult().getIncompatibilities()).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    static List<Schema> released(final String fullName) throws IOException {
        final Path dir = HISTORY.resolve(fullName);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("v\\d+\\.avsc"))
                    .sorted((a, b) -> Integer.compare(versionOf(a), versionOf(b)))
                    .map(SchemaEvolutionTest::read)
                    .toList();
        }
    }

    private static void recordIfChanged(final Schema current) throws IOException {
        final List<Schema> released = released(current.getFullName());
        if (!released.isEmpty() && released.get(released.size() - 1).equals(current)) {
            return;
        }
        final Path dir = Files.createDirectories(HISTORY.resolve(current.getFullName()));
        Files.writeString(dir.resolve("v" + (released.size() + 1) + ".avsc"), org.apache.avro.SchemaFormatter.getInstance("json/pretty").format(current) + "\n");
    }

    private static int versionOf(final Path file) {
        final String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.length() - ".avsc".length()));
    }

    private static Schema read(final Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (final IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
