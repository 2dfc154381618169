package dev.arcturus.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The schema rules every record follows (see docs/architecture.md, "Schemas"). */
class SchemaConventionsTest {
    private static final Map<String, Schema> NAMED = CatalogSchemas.allNamedTypes();

    @Test
    void shouldKeepEveryTypeInOneNamespace() {
        assertThat(NAMED.values()).allSatisfy(s -> assertThat(s.getNamespace()).as(s.getFullName())
                .isEqualTo("dev.arcturus.avro"));
    }

    @Test
    void shouldGiveEveryEnumADefaultSymbolSoOldReadersSurviveNewSymbols() {
        NAMED.values().stream().filter(s -> s.getType() == Schema.Type.ENUM).forEach(e -> {
            assertThat(e.getEnumDefault()).as("default of %s", e.getFullName()).isEqualTo("UNKNOWN");
            assertThat(e.getEnumSymbols().get(0)).as("first symbol of %s", e.getFullName()).isEqualTo("UNKNOWN");
        });
    }

    @Test
    void shouldDocumentEveryTypeAndField() {
        NAMED.values().forEach(s -> {
            assertThat(s.getDoc()).as("doc of %s", s.getFullName()).isNotBlank();
            if (s.getType() == Schema.Type.RECORD) {
                s.getFields().forEach(f -> assertThat(f.doc()).as("doc of %s.%s", s.getFullName(), f.name())
                        .isNotBlank());
            }
        });
    }

    @Test
    void shouldStartEveryTopicValueWithTheCommonEnvelope() {
        CatalogSchemas.topLevel().values().forEach(s -> {
            final Schema.Field first = s.getFields().get(0);
            assertThat(first.name()).as("first field of %s", s.getFullName()).isEqualTo("metadata");
            assertThat(first.schema().getFullName()).isEqualTo("dev.arcturus.avro.EventMetadata");
        });
    }

    @Test
    void shouldStoreInstantsAsTimestampMillis() {
        NAMED.values().stream().filter(s -> s.getType() == Schema.Type.RECORD)
                .flatMap(s -> s.getFields().stream())
                .filter(f -> f.name().endsWith("At") || f.name().startsWith("window") || f.name().endsWith("Time"))
                .forEach(f -> assertThat(nonNull(f.schema()).getLogicalType()).as(f.name())
                        .isEqualTo(LogicalTypes.timestampMillis()));
    }

    private static Schema nonNull(final Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
    }
}
