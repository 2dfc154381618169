package dev.arcturus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.GatewaySettings;
import dev.arcturus.gateway.api.v1.GetConfigRequest;
import dev.arcturus.gateway.api.v1.GetNodesRequest;
import dev.arcturus.gateway.api.v1.NodeRole;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.ConfigServiceGrpc;
import dev.arcturus.gateway.client.GatewayChannels;
import dev.arcturus.gateway.tls.SelfSignedCertificate;
import dev.arcturus.gateway.tls.TlsFiles;
import dev.arcturus.launcher.plane.PlaneSettings;
import dev.arcturus.launcher.plane.RunningPlane;
import dev.arcturus.launcher.serve.OperatorValuesOptions;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Seed 000's scheduling-config.yaml, node-discovery.yaml and routing-policy.yaml (the examples in ops/config, which
 * the Helm chart also renders) given to the plane with {@code --values}: the nodes registered with their roles, the
 * routing policy in the global config, the gateway's deadline; an unknown key refused before anything starts.
 */
class OperatorFilesTest {
    private static final Path EXAMPLES = Path.of("..", "ops", "config");

    @TempDir
    Path dir;

    @Test
    void shouldApplyTheSeedsThreeFilesAtStart() throws Exception {
        final OperatorValuesOptions options = parse("--values", EXAMPLES.resolve("scheduling-config.yaml").toString(),
                "--values", EXAMPLES.resolve("node-discovery.yaml").toString(),
                "--values", Files.writeString(dir.resolve("routing-policy.yaml"), Files.readString(
                        EXAMPLES.resolve("routing-policy.yaml")).replace("k: 2 ", "k: 3 ")).toString());
        try (RunningPlane plane = RunningPlane.start(new PlaneSettings(dir.resolve("data"), "127.0.0.1", 0, 0, 0,
                Optional.empty(), Optional.empty(), (short) 1))) {
            final TlsFiles tls = SelfSignedCertificate.ensure(dir.resolve("tls"));
            final GatewaySettings settings = options.gatewaySettings(new GatewaySettings("127.0.0.1", 0,
                    Optional.of(tls), Duration.ofSeconds(3), dir.resolve("admin-token")));
            assertThat(settings.decisionDeadline()).as("scheduling-config.yaml").isEqualTo(Duration.ofSeconds(10));
            assertThat(settings.runHistory().hotWindow()).isEqualTo(Duration.ofDays(90));
            final Gateway gateway = plane.startGateway(settings);
            assertThat(options.applyTo(gateway)).contains("routing 10 setting(s) changed")
                    .contains("nodes 3 registered, 0 already registered");
            assertThat(options.applyTo(gateway)).as("idempotent: a second replica applies the same files")
                    .contains("routing 0 setting(s) changed").contains("nodes 0 registered, 3 already registered");

            final ManagedChannel channel = GatewayChannels.open("localhost:" + gateway.port(),
                    Optional.of(tls.certificateChain()), false);
            try {
                final var credentials = GatewayChannels.bearer(Files.readString(dir.resolve("admin-token")).strip());
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(NodeServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials)
                            .getNodes(GetNodesRequest.newBuilder().setId("proxy-01").build()).getNodes(0)
                            .getNodeRole()).isEqualTo(NodeRole.PROXY);
                    assertThat(ConfigServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials)
                            .getConfig(GetConfigRequest.getDefaultInstance()).getSettingsMap())
                            .containsEntry("routing.k", "3").containsEntry("routing.algorithm", "ksp");
                });
            } finally {
                channel.shutdownNow();
            }
        }
    }

    @Test
    void shouldRefuseAnUnknownKeyNamingTheFileAndTheKey() throws Exception {
        final Path bad = Files.writeString(dir.resolve("routing-policy.yaml"), "routing:\n  hopPenaltty: 2\n");
        final OperatorValuesOptions options = parse("--values", bad.toString());
        assertThatThrownBy(options::values).hasMessageStartingWith("routing-policy.yaml: routing.hopPenaltty: "
                + "unknown key");
    }

    private static OperatorValuesOptions parse(final String... args) {
        final OperatorValuesOptions options = new OperatorValuesOptions();
        new CommandLine(new Object() {
            @CommandLine.Mixin
            OperatorValuesOptions mixed = options;
        }).parseArgs(args);
        return options;
    }
}
