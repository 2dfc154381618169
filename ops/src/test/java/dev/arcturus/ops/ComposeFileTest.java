package dev.arcturus.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.arcturus.apps.PlaneApps;
import dev.arcturus.bus.BusPrincipal;
import dev.arcturus.streams.StreamsAppKind;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docker-compose.yaml as Debian's docker-compose reads it: valid, complete, and gated by health checks. */
class ComposeFileTest {
    private static final Map<String, String> SECRETS = Map.of("ARCTURUS_MYSQL_PASSWORD", "m",
            "ARCTURUS_MYSQL_ROOT_PASSWORD", "r", "ARCTURUS_MONGO_PASSWORD", "g", "ARCTURUS_ADMIN_TOKEN", "t",
            "ARCTURUS_TLS_DIR", "/tmp", "ARCTURUS_GRAFANA_PASSWORD", "p",
            "ARCTURUS_KAFKA_ADMIN_PASSWORD", "kafka-admin-secret-0123");

    @Test
    void validatesAndRunsEveryComponentAfterItsDependenciesAreHealthy() throws Exception {
        final OpsFiles.Result config = OpsFiles.run(SECRETS, OpsFiles.ROOT, 60, "docker-compose", "-f",
                "docker-compose.yaml", "--profile", "connector", "--profile", "monitoring", "config");
        assertThat(config.exit()).as(config.output()).isZero();
        final JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(config.output()).get("services");

        for (final String official : new String[] {"kafka", "schema-registry", "mysql", "mongodb", "azurite", "prometheus"}) {
            assertThat(services.has(official)).as(official).isTrue();
            assertThat(services.get(official).has("healthcheck")).as(official + " health check").isTrue();
        }
        assertThat(services.at("/init/depends_on/kafka/condition").asText()).isEqualTo("service_healthy");
        assertThat(services.at("/init/depends_on/schema-registry/condition").asText()).isEqualTo("service_healthy");
        for (final StreamsAppKind app : PlaneApps.all()) {
            final JsonNode service = services.get("app-" + app.shortName());
            assertThat(service).as("a service for every streams app: app-" + app.shortName()).isNotNull();
            assertThat(service.get("command").get(1).asText()).isEqualTo(app.shortName());
            assertThat(service.at("/depends_on/init/condition").asText()).isEqualTo("service_completed_successfully");
            assertThat(service.at("/healthcheck/test").toString()).contains("healthcheck");
        }
        assertThat(services.at("/gateway/depends_on/app-admission/condition").asText()).isEqualTo("service_healthy");
        assertThat(services.at("/sink-mysql/depends_on/mysql/condition").asText()).isEqualTo("service_healthy");
        assertThat(services.at("/sink-mongo/depends_on/mongodb/condition").asText()).isEqualTo("service_healthy");
        assertThat(services.at("/connector/depends_on/gateway/condition").asText()).isEqualTo("service_healthy");
        assertThat(services.at("/gateway/environment/ARCTURUS_ADMIN_TOKEN").asText()).isEqualTo("t");
    }

    @Test
    void runsKafkaWithSaslAndAclsAndEveryComponentAsItsOwnPrincipal() throws Exception {
        final OpsFiles.Result config = OpsFiles.run(SECRETS, OpsFiles.ROOT, 60, "docker-compose", "-f",
                "docker-compose.yaml", "config");
        assertThat(config.exit()).as(config.output()).isZero();
        final JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(config.output()).get("services");
        final JsonNode kafka = services.at("/kafka/environment");
        assertThat(kafka.get("KAFKA_AUTHORIZER_CLASS_NAME").asText())
                .isEqualTo("org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        assertThat(kafka.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").asText()).doesNotContain(":PLAINTEXT");
        assertThat(kafka.get("KAFKA_SUPER_USERS").asText()).isEqualTo(BusPrincipal.ADMIN.kafkaPrincipal());
        assertThat(kafka.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND").asText()).isEqualTo("false");
        assertThat(services.at("/init/command").toString()).contains("--secure-bus");

        final java.util.Map<String, BusPrincipal> expected = new java.util.HashMap<>();
        PlaneApps.all().forEach(app -> expected.put("app-" + app.shortName(), BusPrincipal.named(app.applicationId())));
        expected.put("gateway", BusPrincipal.GATEWAY);
        expected.put("sink-mysql", BusPrincipal.SINK_MYSQL);
        expected.put("sink-mongo", BusPrincipal.SINK_MONGO);
        expected.forEach((service, principal) -> {
            assertThat(services.at("/" + service + "/environment/ARCTURUS_KAFKA_PROPERTIES").asText())
                    .as(service + " signs in as " + principal)
                    .endsWith("/kafka-clients/" + principal.name() + ".properties");
            assertThat(services.at("/" + service + "/volumes").toString()).as(service)
                    .contains("kafka-clients:/var/lib/arcturus/kafka-clients:ro");
        });
    }

    @Test
    void refusesToStartWithoutItsSecrets() throws Exception {
        final Map<String, String> missing = new HashMap<>(SECRETS);
        missing.remove("ARCTURUS_ADMIN_TOKEN");
        final ProcessBuilder builder = new ProcessBuilder("docker-compose", "-f", "docker-compose.yaml", "config", "-q")
                .directory(OpsFiles.ROOT.toFile()).redirectErrorStream(true);
        builder.environment().remove("ARCTURUS_ADMIN_TOKEN");
        builder.environment().putAll(missing);
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).isNotZero();
        assertThat(output).contains("set ARCTURUS_ADMIN_TOKEN");
    }
}
