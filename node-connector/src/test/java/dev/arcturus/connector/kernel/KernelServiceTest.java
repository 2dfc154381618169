package dev.arcturus.connector.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.connector.executor.DockerExecutor;
import dev.arcturus.connector.executor.RunListener;
import dev.arcturus.connector.executor.RunOutcome;
import dev.arcturus.connector.executor.RunRequest;
import dev.arcturus.scheduling.experiment.ExperimentConfig;
import dev.arcturus.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel service against the real dockerd: a run with a token reads and sets the congestion control of its own
 * network namespace, the host's stays as it was, a value the kernel does not offer is refused with the choices, and
 * a missing or revoked token gets nothing.
 */
class KernelServiceTest {
    private static final Path HOST_CCA = Path.of("/proc/sys/net/ipv4/tcp_congestion_control");
    private static DockerExecutor executor;
    private static KernelService kernel;
    private static String image;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        executor = DockerExecutor.connect(TestServices.require("ARCTURUS_TEST_DOCKER_HOST"), false);
        image = TestServices.require("ARCTURUS_TEST_DOCKER_IMAGE");
        kernel = KernelService.start(executor.bridgeGateway());
    }

    @AfterAll
    static void stop() {
        kernel.close();
        executor.close();
    }

    @Test
    void aRunSetsTheCongestionControlOfItsOwnNetworkOnly() throws Exception {
        final String hostBefore = Files.readString(HOST_CCA).strip();
        final List<String> offered = KernelService.available();
        final String wanted = offered.stream().filter(cca -> !cca.equals(hostBefore)).findFirst().orElseThrow();
        final String runId = "kernel-" + UUID.randomUUID().toString().substring(0, 8);
        final String token = kernel.grant(runId, () -> executor.containerPid(runId));
        final String script = String.join("; ",
                "busybox wget -q -O /arcturus/out/before.txt --header \"Authorization: Bearer $ARCTURUS_KERNEL_TOKEN\" "
                        + "$ARCTURUS_KERNEL_URL/v1/cca",
                "busybox wget -q -O /arcturus/out/set.txt --header \"Authorization: Bearer $ARCTURUS_KERNEL_TOKEN\" "
                        + "--post-data " + wanted + " $ARCTURUS_KERNEL_URL/v1/cca",
                "cat /proc/sys/net/ipv4/tcp_congestion_control > /arcturus/out/after.txt",
                "busybox wget -q -O /arcturus/out/bad.txt --header \"Authorization: Bearer $ARCTURUS_KERNEL_TOKEN\" "
                        + "--post-data 'x; rm -rf /' $ARCTURUS_KERNEL_URL/v1/cca || echo refused > /arcturus/out/bad.txt",
                "busybox wget -q -O /arcturus/out/anonymous.txt $ARCTURUS_KERNEL_URL/v1/cca "
                        + "|| echo refused > /arcturus/out/anonymous.txt");
        final RunRequest run = new RunRequest(runId, "job-k", "node-k", ExperimentConfig.parse(
                "docker:\n  image: " + image + "\n  kernel_access: true\n  command: [sh, -c, '"
                        + script.replace("'", "''") + "']\n"),
                Duration.ofSeconds(60), dir.resolve(runId),
                Map.of("ARCTURUS_KERNEL_URL", kernel.url(), "ARCTURUS_KERNEL_TOKEN", token));
        final RunOutcome outcome = executor.run(run, RunListener.NONE);
        kernel.revoke(token);

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(RunOutcome.Status.COMPLETED);
        assertThat(Files.readString(run.workDir().resolve("before.txt")))
                .startsWith("current ").contains("available " + String.join(" ", offered));
        assertThat(Files.readString(run.workDir().resolve("set.txt")).strip()).isEqualTo("ok " + wanted);
        assertThat(Files.readString(run.workDir().resolve("after.txt")).strip()).isEqualTo(wanted);
        assertThat(Files.readString(run.workDir().resolve("bad.txt")).strip()).isEqualTo("refused");
        assertThat(Files.readString(run.workDir().resolve("anonymous.txt")).strip()).isEqualTo("refused");
        assertThat(Files.readString(HOST_CCA).strip()).as("the host's setting is untouched").isEqualTo(hostBefore);
    }

    @Test
    void anUnknownTokenOrPathGetsNothing() throws Exception {
        final var client = java.net.http.HttpClient.newHttpClient();
        final var anonymous = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(kernel.url() + "/v1/cca")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        final String token = kernel.grant("no-container", () -> 0);
        final var otherPath = client.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(kernel.url() + "/v1/exec")).header("Authorization", "Bearer " + token).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(otherPath.statusCode()).isEqualTo(404);
        final var noContainer = client.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(kernel.url() + "/v1/cca")).header("Authorization", "Bearer " + token).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(noContainer.statusCode()).isEqualTo(500);
        assertThat(noContainer.body()).contains("no running container");
        kernel.revoke(token);
        final var revoked = client.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(kernel.url() + "/v1/cca")).header("Authorization", "Bearer " + token).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).isEqualTo(401);
    }
}
