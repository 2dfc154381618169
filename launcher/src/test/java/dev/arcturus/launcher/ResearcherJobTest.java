package dev.arcturus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import dev.arcturus.connector.ConnectorSettings;
import dev.arcturus.connector.NodeConnector;
import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.GatewaySettings;
import dev.arcturus.gateway.SelfSignedCertificate;
import dev.arcturus.gateway.api.v1.DecisionOutcome;
import dev.arcturus.gateway.api.v1.GetRunsRequest;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.JobSpec;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.NodeSpec;
import dev.arcturus.gateway.api.v1.RegisterNodeRequest;
import dev.arcturus.gateway.api.v1.RegisterUserRequest;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.Run;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.ScheduleJobRequest;
import dev.arcturus.gateway.api.v1.UserServiceGrpc;
import dev.arcturus.gateway.client.GatewayChannels;
import dev.arcturus.testing.TestServices;
import io.grpc.ManagedChannel;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A researcher's job end to end on the real stack: schedule through the TLS gateway → admission → the node's
 * connector (pushed, not polled) → a container on the real dockerd → artifact zip into Azurite → run COMPLETED with
 * its artifact URL → downloaded through the CLI with a signed URL.
 */
class ResearcherJobTest {
    @TempDir
    Path dir;

    @Test
    void shouldRunAScheduledJobInAContainerAndPublishItsArtifact() throws Exception {
        try (RunningPlane plane = RunningPlane.start(new PlaneSettings(dir.resolve("data"), "127.0.0.1", 0, 0, 0,
                Optional.empty(), Optional.empty(), (short) 1))) {
            final GatewaySettings.TlsFiles tls = SelfSignedCertificate.ensure(dir.resolve("tls"));
            final Gateway gateway = plane.startGateway(new GatewaySettings("127.0.0.1", 0, Optional.of(tls),
                    GatewaySettings.DEFAULT_DECISION_DEADLINE, dir.resolve("admin-token")).withArtifactStorage(
                    Optional.of(TestServices.require("ARCTURUS_TEST_AZURITE_CONNECTION_STRING"))));
            final ManagedChannel channel = GatewayChannels.open("localhost:" + gateway.port(),
                    Optional.of(tls.certificateChain()), false);
            try {
                final String admin = Files.readString(dir.resolve("admin-token")).strip();
                final String nodeToken = NodeServiceGrpc.newBlockingStub(channel)
                        .withCallCredentials(GatewayChannels.bearer(admin)).registerNode(RegisterNodeRequest.newBuilder()
                                .setNode(NodeSpec.newBuilder().setId("lab-1").setIp("127.0.0.1").setRegion("eu-west"))
                                .build()).getToken();
                final String alice = UserServiceGrpc.newBlockingStub(channel)
                        .withCallCredentials(GatewayChannels.bearer(admin)).registerUser(RegisterUserRequest.newBuilder()
                                .setId("alice").setName("Alice").setRole(Role.USER).build()).getToken();
                try (NodeConnector connector = NodeConnector.start(new ConnectorSettings("lab-1", nodeToken,
                        TestServices.require("ARCTURUS_TEST_DOCKER_HOST"), false, dir.resolve("runs"),
                        Duration.ofSeconds(5)), channel)) {
                    final Instant start = Instant.now().plusSeconds(6);
                    final String config = "docker:\n  image: " + TestServices.require("ARCTURUS_TEST_DOCKER_IMAGE")
                            + "\n  network: none\n  command: [sh, -c, 'echo rtt=42ms > /arcturus/out/result.txt']\n";
                    assertThat(JobServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(alice))
                            .scheduleJob(ScheduleJobRequest.newBuilder().setJob(JobSpec.newBuilder().setId("ping-once")
                                    .setNodeId("lab-1").setType(JobType.ONE_SHOT).setStart(ts(start))
                                    .setEnd(ts(start.plusSeconds(120))).setLengthSeconds(30).setExclusive(true)
                                    .setConfig(config)).build()).getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED);

                    final RunServiceGrpc.RunServiceBlockingStub runs = RunServiceGrpc.newBlockingStub(channel)
                            .withCallCredentials(GatewayChannels.bearer(alice));
                    await().atMost(Duration.ofSeconds(90)).until(() -> runs.getRuns(GetRunsRequest.newBuilder()
                            .setJobId("ping-once").build()).getRunsList().stream()
                            .anyMatch(r -> r.getStatus() == RunStatus.COMPLETED));
                    final Run run = runs.getRuns(GetRunsRequest.newBuilder().setJobId("ping-once").build()).getRuns(0);
                    assertThat(run.getNodeId()).isEqualTo("lab-1");
                    assertThat(run.getOwnerId()).isEqualTo("alice");
                    assertThat(run.getExitCode()).isZero();
                    assertThat(run.getArtifactUrl()).contains("/runs/lab-1/ping-once/").endsWith(run.getRunId() + ".zip")
                            .doesNotContain("sig=");

                    // A false trigger skips the run and records why, with the values it read.
                    final Instant gated = Instant.now().plusSeconds(4);
                    JobServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(alice))
                            .scheduleJob(ScheduleJobRequest.newBuilder().setJob(JobSpec.newBuilder().setId("gated")
                                    .setNodeId("lab-1").setType(JobType.ONE_SHOT).setStart(ts(gated))
                                    .setEnd(ts(gated.plusSeconds(120))).setLengthSeconds(30).setExclusive(false)
                                    .setTrigger("load >= 0 && cpu > 1000").setConfig(config)).build());
                    await().atMost(Duration.ofSeconds(60)).until(() -> runs.getRuns(GetRunsRequest.newBuilder()
                            .setJobId("gated").build()).getRunsList().stream()
                            .anyMatch(r -> r.getStatus() == RunStatus.SKIPPED));
                    assertThat(runs.getRuns(GetRunsRequest.newBuilder().setJobId("gated").build()).getRuns(0)
                            .getStatusMessage()).startsWith("trigger false: load >= 0 && cpu > 1000 with {cpu=");

                    final Path aliceToken = Files.writeString(dir.resolve("alice.token"), alice);
                    final int exit = ArcturusCommand.commandLine().execute("run", "download", "--runid", run.getRunId(),
                            "--local-path", dir.resolve("download").toString(), "--gateway", "localhost:" + gateway.port(),
                            "--ca-cert", tls.certificateChain().toString(), "--token-file", aliceToken.toString());
                    assertThat(exit).isZero();
                    assertThat(entries(dir.resolve("download").resolve(run.getRunId() + ".zip")))
                            .contains("result.txt", "arcturus-run.log");
                }
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private static Timestamp ts(final Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }

    private static List<String> entries(final Path zip) throws Exception {
        final List<String> names = new ArrayList<>();
        try (InputStream file = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(file)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }
}
