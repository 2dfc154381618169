package dev.arcturus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One way to give every component its Kafka client security settings: a properties file, then variables. */
class KafkaClientSettingsTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadThePropertiesFileThenTheVariablesAndKeepBootstrapAndTheComponentsOwnSettings() throws IOException {
        final Path file = Files.writeString(dir.resolve("client.properties"), """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                  username="gateway" password="s3cret";
                ssl.truststore.location=/etc/arcturus/truststore.p12
                """);
        final KafkaClientSettings settings = KafkaClientSettings.of(Map.of(
                KafkaClientSettings.PROPERTIES_ENV, file.toString(),
                "ARCTURUS_KAFKA_CLIENT_SSL_TRUSTSTORE_TYPE", "PKCS12",
                "ARCTURUS_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_PLAINTEXT"));

        final Map<String, Object> consumer = settings.with("broker-1:9093", Map.of("isolation.level", "read_committed"));
        assertThat(consumer).containsEntry("bootstrap.servers", "broker-1:9093")
                .containsEntry("security.protocol", "SASL_PLAINTEXT") // the variable wins over the file
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.type", "PKCS12")
                .containsEntry("isolation.level", "read_committed");
        assertThat((String) consumer.get("sasl.jaas.config")).contains("username=\"gateway\"");
        assertThat(settings.toString()).as("secrets never printed").doesNotContain("s3cret").contains("sasl.jaas.config");
        assertThat(new PlaneEndpoints("b:9092", "http://r:8081", settings).clientProperties())
                .containsEntry("bootstrap.servers", "b:9092").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void shouldRefuseWhatEachComponentSetsItselfAndAFileThatCannotBeRead() {
        assertThatThrownBy(() -> KafkaClientSettings.of(Map.of("ARCTURUS_KAFKA_CLIENT_BOOTSTRAP_SERVERS", "x:1")))
                .hasMessageContaining("'bootstrap.servers' is set by each component");
        assertThatThrownBy(() -> KafkaClientSettings.of(Map.of(KafkaClientSettings.PROPERTIES_ENV,
                dir.resolve("missing.properties").toString())))
                .hasMessageContaining("ARCTURUS_KAFKA_PROPERTIES: cannot read");
        assertThat(KafkaClientSettings.of(Map.of()).clientProperties("b:9092")).containsOnlyKeys("bootstrap.servers");
    }
}
