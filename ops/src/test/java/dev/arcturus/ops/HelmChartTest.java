package dev.arcturus.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.arcturus.apps.PlaneApps;
import dev.arcturus.streams.StreamsAppKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Helm chart through real Helm (helm-java): lint-clean, and rendering what an operator configures. */
class HelmChartTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final Helm chart = new Helm(OpsFiles.OPS.resolve("helm/arcturus"));

    @Test
    void lintsCleanInStrictMode() {
        final LintResult lint = chart.lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void rendersEveryComponentWithTheConfiguredEndpointsReplicasAndSecrets() throws Exception {
        final List<JsonNode> objects = render(chart.template().withName("plane")
                .set("kafka.bootstrap", "kafka-0.kafka:9092").set("schemaRegistry.url", "http://registry:8081")
                .set("apps.admission.replicas", 3).set("sinks.mysql.enabled", true).set("sinks.mongo.enabled", true)
                .set("connectors.regions[0].name", "eu-west").set("connectors.regions[0].nodesSecret", "nodes-eu")
                .set("connectors.regions[1].name", "us-east").set("connectors.regions[1].nodesSecret", "nodes-us")
                .call());
        final Map<String, JsonNode> deployments = objects.stream().filter(o -> "Deployment".equals(o.path("kind").asText()))
                .collect(Collectors.toMap(o -> o.at("/metadata/name").asText(), o -> o));
        for (final StreamsAppKind app : PlaneApps.all()) {
            final JsonNode deployment = deployments.get("plane-app-" + app.shortName());
            assertThat(deployment).as("a Deployment for " + app.shortName()).isNotNull();
            assertThat(deployment.at("/spec/template/spec/containers/0/args/1").asText()).isEqualTo(app.shortName());
        }
        assertThat(deployments.get("plane-app-admission").at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(deployments).containsKeys("plane-gateway", "plane-sink-mysql", "plane-sink-mongo",
                "plane-connector-eu-west", "plane-connector-us-east");
        assertThat(deployments.get("plane-connector-eu-west").at("/spec/template/spec/volumes/0/secret/secretName")
                .asText()).isEqualTo("nodes-eu");
        for (final JsonNode deployment : deployments.values()) {
            final String name = deployment.at("/metadata/name").asText();
            final JsonNode container = deployment.at("/spec/template/spec/containers/0");
            assertThat(container.path("env").toString()).as(name).contains("kafka-0.kafka:9092")
                    .contains("http://registry:8081");
            assertThat(deployment.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean()).as(name).isTrue();
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).as(name).isEqualTo("/healthz");
            assertThat(deployment.at("/spec/template/metadata/annotations").path("prometheus.io/scrape").asText())
                    .as(name).isEqualTo("true");
        }
        assertThat(deployments.get("plane-sink-mysql").at("/spec/template/spec/containers/0/env").toString())
                .as("the password comes from a Secret, never a value").contains("secretKeyRef")
                .doesNotContain("\"ARCTURUS_MYSQL_PASSWORD\",\"value\"");
        // The root filesystem is read-only: the gateway's run history needs a volume where --state-dir points.
        final JsonNode gateway = deployments.get("plane-gateway").at("/spec/template/spec/containers/0");
        final List<String> args = new java.util.ArrayList<>();
        gateway.path("args").forEach(arg -> args.add(arg.asText()));
        final String stateDir = args.get(args.indexOf("--state-dir") + 1);
        assertThat(gateway.path("volumeMounts").findValuesAsText("mountPath")).contains(stateDir);
        assertThat(args.get(args.indexOf("--run-hot-window-days") + 1)).isEqualTo("90");
        final JsonNode service = objects.stream().filter(o -> "Service".equals(o.path("kind").asText())).findFirst()
                .orElseThrow();
        assertThat(service.at("/spec/ports").toString()).contains("50051").contains("8443");
    }

    /**
     * Seed 000's three files given to the chart as they are (the examples in ops/config): rendered into one file
     * the gateways read with --values, which the plane's own reader accepts key by key.
     */
    @Test
    void takesTheSeedsConfigurationFilesAsValues() throws Exception {
        final java.nio.file.Path config = OpsFiles.OPS.resolve("config");
        final List<JsonNode> objects = render(chart.template().withName("plane")
                .withValuesFile(config.resolve("scheduling-config.yaml"))
                .withValuesFile(config.resolve("node-discovery.yaml"))
                .withValuesFile(config.resolve("routing-policy.yaml")).call());
        final JsonNode configMap = objects.stream().filter(o -> "ConfigMap".equals(o.path("kind").asText())
                && o.at("/metadata/name").asText().equals("plane-operator-values")).findFirst().orElseThrow();
        final java.nio.file.Path rendered = java.nio.file.Files.createTempFile("operator-values", ".yaml");
        java.nio.file.Files.writeString(rendered, configMap.at("/data/operator-values.yaml").asText());
        final dev.arcturus.scheduling.operator.OperatorValues values = dev.arcturus.scheduling.operator.OperatorValues
                .read(List.of(rendered));
        assertThat(values.routingSettings()).containsEntry("routing.k", "2").hasSize(10);
        assertThat(values.nodes()).extracting(dev.arcturus.scheduling.operator.OperatorValues.DiscoveredNode::role)
                .containsExactly("CONTROLLER", "PROXY", "PROXY");
        assertThat(values.decisionDeadline()).contains(java.time.Duration.ofSeconds(10));
        final JsonNode gateway = objects.stream().filter(o -> "Deployment".equals(o.path("kind").asText())
                && o.at("/metadata/name").asText().equals("plane-gateway")).findFirst().orElseThrow()
                .at("/spec/template/spec");
        final List<String> args = new java.util.ArrayList<>();
        gateway.at("/containers/0/args").forEach(a -> args.add(a.asText()));
        assertThat(args.get(args.indexOf("--values") + 1)).isEqualTo("/etc/arcturus/operator/operator-values.yaml");
        assertThat(gateway.at("/containers/0/volumeMounts").findValuesAsText("mountPath"))
                .contains("/etc/arcturus/operator");
        // Without the files, nothing extra is rendered.
        assertThat(render(chart.template().withName("plane").call()).stream()
                .filter(o -> "ConfigMap".equals(o.path("kind").asText()))).isEmpty();
    }

    @Test
    void letsTheMySqlSinkCaptureTheDatabasesChangesUnlessTurnedOff() throws Exception {
        final java.util.function.Function<List<JsonNode>, String> sinkArgs = objects -> objects.stream()
                .filter(o -> o.at("/metadata/name").asText().equals("plane-sink-mysql")).findFirst().orElseThrow()
                .at("/spec/template/spec/containers/0/args").toString();
        assertThat(sinkArgs.apply(render(chart.template().withName("plane").set("sinks.mysql.enabled", true).call())))
                .doesNotContain("--no-mysql-capture");
        assertThat(sinkArgs.apply(render(chart.template().withName("plane").set("sinks.mysql.enabled", true)
                .set("sinks.mysql.capture", false).call()))).contains("--no-mysql-capture");
    }

    @Test
    void givesEveryComponentOnlyItsOwnBusLoginAndTheInitHookTheAdminsToSecureTheBus() throws Exception {
        final List<JsonNode> objects = render(chart.template().withName("plane")
                .set("kafka.clientsSecret", "bus-logins").set("sinks.mysql.enabled", true)
                .set("sinks.mongo.enabled", true).call());
        final Map<String, JsonNode> byName = objects.stream().filter(o -> o.has("kind"))
                .collect(Collectors.toMap(o -> o.path("kind").asText() + "/" + o.at("/metadata/name").asText(),
                        o -> o));
        final Map<String, String> expected = new java.util.HashMap<>();
        PlaneApps.all().forEach(app -> expected.put("Deployment/plane-app-" + app.shortName(), app.applicationId()));
        expected.put("Deployment/plane-gateway", dev.arcturus.bus.BusPrincipal.GATEWAY.name());
        expected.put("Deployment/plane-sink-mysql", dev.arcturus.bus.BusPrincipal.SINK_MYSQL.name());
        expected.put("Deployment/plane-sink-mongo", dev.arcturus.bus.BusPrincipal.SINK_MONGO.name());
        assertThat(byName).containsKeys(expected.keySet().toArray(String[]::new));
        expected.forEach((name, principal) -> {
            final JsonNode pod = byName.get(name).at("/spec/template/spec");
            assertThat(pod.at("/containers/0/env").toString()).as(name)
                    .contains("/etc/arcturus/kafka-clients/" + principal + ".properties");
            final String volumes = pod.path("volumes").toString();
            assertThat(volumes).as(name + " mounts its own login only").contains("bus-logins")
                    .contains("\"" + principal + ".properties\"").doesNotContain("arcturus-admin");
        });

        // `helm template` leaves hooks out; render the init hook from a copy of the chart without its hook annotation.
        final java.nio.file.Path copy = java.nio.file.Files.createTempDirectory("arcturus-chart-");
        try (var files = java.nio.file.Files.walk(OpsFiles.OPS.resolve("helm/arcturus"))) {
            for (final java.nio.file.Path file : files.toList()) {
                final java.nio.file.Path target = copy.resolve(OpsFiles.OPS.resolve("helm/arcturus").relativize(file)
                        .toString());
                if (java.nio.file.Files.isDirectory(file)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.writeString(target, java.nio.file.Files.readString(file)
                            .replaceAll("(?m)^\\s*helm\\.sh/hook.*$", ""));
                }
            }
        }
        final JsonNode init = render(new Helm(copy).template().withName("plane").set("kafka.clientsSecret", "bus-logins")
                .call()).stream().filter(o -> "Job".equals(o.path("kind").asText())).findFirst().orElseThrow()
                .at("/spec/template/spec");
        assertThat(init.at("/containers/0/args").toString()).contains("--secure-bus");
        assertThat(init.at("/containers/0/env").toString()).contains("arcturus-admin.properties");
        assertThat(init.at("/volumes/0/secret/secretName").asText()).isEqualTo("bus-logins");
        assertThat(init.at("/volumes/0/secret").has("items")).as("the hook sees every login").isFalse();
    }

    @Test
    void refusesToRenderAGatewayWithoutTls() {
        assertThatThrownBy(() -> chart.template().withName("plane").set("gateway.tlsSecret", "").call())
                .hasMessageContaining("gateway.tlsSecret is required");
    }

    private static List<JsonNode> render(final String manifests) throws Exception {
        final List<JsonNode> objects = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(manifests)) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                final JsonNode object = it.next();
                if (object != null && !object.isNull() && !object.isEmpty()) {
                    objects.add(object);
                }
            }
        }
        return objects;
    }
}
