package dev.arcturus.scheduling.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed 000's three configuration files, read and checked key by key. */
class OperatorValuesTest {
    @TempDir
    Path dir;

    private Path file(final String name, final String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    @Test
    void shouldReadTheThreeFilesAndLetALaterOneOverride() throws IOException {
        final OperatorValues values = OperatorValues.read(List.of(
                file("scheduling-config.yaml", "scheduling:\n  decisionDeadlineSeconds: 15\n  runHotWindowDays: 30\n"),
                file("node-discovery.yaml", """
                        nodeDiscovery:
                          nodes:
                            - {id: controller-01, ip: 192.168.1.1, region: US-East, role: CONTROLLER}
                            - {id: proxy-01, ip: 192.168.1.2, region: US-West, hostname: proxy-01, role: PROXY}
                        """),
                file("routing-policy.yaml", "routing:\n  k: 3\n  hopPenalty: 2.5\n  algorithm: carousel\n"),
                file("override.yaml", "routing:\n  k: 2\n")));
        assertThat(values.decisionDeadline()).contains(Duration.ofSeconds(15));
        assertThat(values.runHotWindowDays()).contains(30);
        assertThat(values.routingSettings()).containsEntry("routing.k", "2").containsEntry("routing.hopPenalty", "2.5")
                .containsEntry("routing.algorithm", "carousel");
        assertThat(values.nodes()).extracting(OperatorValues.DiscoveredNode::id).containsExactly("controller-01",
                "proxy-01");
        assertThat(values.nodes().get(1).role()).isEqualTo("PROXY");
        assertThat(OperatorValues.read(List.of(file("empty.yaml", ""))).isEmpty()).isTrue();
        assertThat(OperatorValues.read(List.of()).runHotWindowDays()).isEqualTo(Optional.empty());
    }

    @Test
    void shouldRefuseUnknownKeysAndWrongValuesNamingTheFileAndTheKey() throws IOException {
        assertThatThrownBy(() -> OperatorValues.read(List.of(file("routing-policy.yaml", "routing:\n  kk: 2\n"))))
                .hasMessageStartingWith("routing-policy.yaml: routing.kk: unknown key");
        assertThatThrownBy(() -> OperatorValues.read(List.of(file("scheduling-config.yaml", "admission: {}\n"))))
                .hasMessageStartingWith("scheduling-config.yaml: admission: unknown section");
        assertThatThrownBy(() -> OperatorValues.read(List.of(file("routing-policy.yaml", "routing:\n  k: two\n"))))
                .hasMessageStartingWith("routing-policy.yaml: routing.k: must be a whole number");
        assertThatThrownBy(() -> OperatorValues.read(List.of(file("routing-policy.yaml",
                "routing:\n  algorithm: dijkstra\n")))).hasMessageContaining("routing.algorithm: must be ksp or carousel");
        assertThatThrownBy(() -> OperatorValues.read(List.of(file("node-discovery.yaml",
                "nodeDiscovery:\n  nodes:\n    - {id: a, ip: 10.0.0.1, region: r, rack: 7}\n"))))
                .hasMessageStartingWith("node-discovery.yaml: nodeDiscovery.nodes[0].rack: unknown key");
        assertThatThrownBy(() -> OperatorValues.read(List.of(file("node-discovery.yaml",
                "nodeDiscovery:\n  nodes:\n    - {id: a, ip: 10.0.0.1}\n"))))
                .hasMessageStartingWith("node-discovery.yaml: nodeDiscovery.nodes[0].region: required");
        assertThatThrownBy(() -> OperatorValues.read(List.of(file("node-discovery.yaml",
                "nodeDiscovery:\n  nodes:\n    - {id: a, ip: 10.0.0.1, region: r, role: GATEWAY}\n"))))
                .hasMessageContaining("nodeDiscovery.nodes[0].role: must be one of [CONTROLLER, MEASUREMENT, PROXY]");
    }
}
