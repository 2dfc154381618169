package dev.arcturus.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client contract against the shared plane's embedded registry, over HTTP. */
@ExtendWith(SharedPlaneExtension.class)
class HttpSchemaRegistryClientTest extends SchemaRegistryClientContract {
    HttpSchemaRegistryClientTest(final SharedPlane plane) {
        super(plane.registryClient());
    }

    @Test
    void shouldFailClearlyWhenTheRegistryIsUnreachable() {
        final SchemaRegistryClient nowhere = new HttpSchemaRegistryClient("http://127.0.0.1:1", Duration.ofSeconds(2),
                java.util.Optional.empty());

        assertThatThrownBy(() -> nowhere.schemaById(1)).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(-1);
            assertThat(e.getMessage()).contains("http://127.0.0.1:1/schemas/ids/1");
            assertThat(e.getCause()).isNotNull();
        });
    }
}
