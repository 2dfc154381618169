package dev.arcturus.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcturus.registry.client.InMemorySchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryException;
import org.junit.jupiter.api.Test;

/** The client contract against the registry in this process that broker-less topology tests use. */
class InMemorySchemaRegistryClientTest extends SchemaRegistryClientContract {
    InMemorySchemaRegistryClientTest() {
        super(new InMemorySchemaRegistryClient());
    }

    @Test
    void shouldShareOneIdForEqualSchemasAcrossSubjects() {
        final SchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        final int id = registry.register("a-value", V1);

        assertThat(registry.register("b-value", V1)).isEqualTo(id);
        assertThat(registry.register("b-value", V2)).isNotEqualTo(id);
        assertThatThrownBy(() -> registry.schemaById(99)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    }
}
