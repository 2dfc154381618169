package dev.arcturus.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcturus.registry.client.CompatibilityLevel;
import dev.arcturus.registry.client.RegisteredSchema;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SchemaRegistryClient} must do, run against the real registry over HTTP and against the in-memory
 * one the topology tests use, so the two cannot drift apart.
 */
abstract class SchemaRegistryClientContract {
    static final Schema V1 = SchemaBuilder.record("Sample").namespace("t").fields()
            .requiredString("id").endRecord();
    static final Schema V2 = SchemaBuilder.record("Sample").namespace("t").fields()
            .requiredString("id").name("count").type().intType().intDefault(0).endRecord();
    private static final Schema BREAKING = SchemaBuilder.record("Sample").namespace("t").fields()
            .requiredString("id").requiredInt("count").endRecord();

    private final SchemaRegistryClient client;

    SchemaRegistryClientContract(final SchemaRegistryClient client) {
        this.client = client;
    }

    @Test
    void shouldRegisterLookUpAndFetchSchemas() {
        final String subject = SharedPlane.uniqueName("client") + "-value";

        final int id1 = client.register(subject, V1);
        final int id2 = client.register(subject, V2);

        assertThat(client.register(subject, V1)).isEqualTo(id1);
        assertThat(client.versions(subject)).containsExactly(1, 2);
        assertThat(client.subjects()).contains(subject);
        assertThat(client.schemaById(id2)).isEqualTo(V2);
        final RegisteredSchema latest = client.version(subject, "latest");
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.id()).isEqualTo(id2);
        assertThat(client.lookup(subject, V1)).map(RegisteredSchema::version).contains(1);
        assertThat(client.lookup(subject, BREAKING)).isEmpty();
    }

    @Test
    void shouldReportIncompatibilityAsAnErrorCarryingTheRegistryCode() {
        final String subject = SharedPlane.uniqueName("client") + "-value";
        client.register(subject, V1);

        assertThat(client.isCompatible(subject, "latest", BREAKING)).isFalse();
        assertThat(client.isCompatible(subject, "latest", V2)).isTrue();
        assertThatThrownBy(() -> client.register(subject, BREAKING))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
                });
        assertThatThrownBy(() -> client.version("no-such-subject-value", "latest"))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
    }

    @Test
    void shouldReadAndSetCompatibilityLevels() {
        final String subject = SharedPlane.uniqueName("client") + "-value";

        assertThat(client.subjectCompatibility(subject)).as("falls back to global").isEqualTo(client.globalCompatibility());
        client.setSubjectCompatibility(subject, CompatibilityLevel.NONE);
        client.register(subject, V1);

        assertThat(client.subjectCompatibility(subject)).isEqualTo(CompatibilityLevel.NONE);
        assertThat(client.register(subject, BREAKING)).as("NONE accepts a breaking change").isPositive();
    }
}
