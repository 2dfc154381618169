package dev.arcturus.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.testing.SharedPlane;
import dev.arcturus.testing.SharedPlaneExtension;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The project's image, built here from a base imported from this host's JDK (no registry is reachable), running real
 * components against the shared embedded broker: {@code init} creates the catalogue, and a streams app reaches
 * RUNNING inside the container (RocksDB's native library included), passes the image's own health check and serves
 * its metrics.
 */
@ExtendWith(SharedPlaneExtension.class)
class ContainerImageTest {
    private static final String IMAGE = "arcturus:ops-test";
    private final SharedPlane plane;

    ContainerImageTest(final SharedPlane plane) {
        this.plane = plane;
    }

    @Test
    void buildsFromALocalBaseAndRunsComponentsAgainstARealBroker() throws Exception {
        final OpsFiles.Result build = OpsFiles.run(Map.of(), OpsFiles.ROOT, 600, "ops/docker/build-image.sh", IMAGE);
        assertThat(build.exit()).as(build.output()).isZero();
        assertThat(docker("run", "--rm", IMAGE, "--version").output()).contains("Arcturus 0.1.0-SNAPSHOT");

        final OpsFiles.Result init = docker("run", "--rm", "--network", "host", IMAGE, "init", "--kafka-bootstrap",
                plane.bootstrapServers(), "--schema-registry-url", plane.registryUrl(), "--replication-factor", "1");
        assertThat(init.exit()).as(init.output()).isZero();
        assertThat(init.output()).contains("Catalogue ready");

        final int metricsPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            metricsPort = socket.getLocalPort();
        }
        final String container = "arcturus-ops-test-" + metricsPort;
        final OpsFiles.Result started = docker("run", "-d", "--name", container, "--network", "host", IMAGE, "app",
                "liveness", "--kafka-bootstrap", plane.bootstrapServers(), "--schema-registry-url", plane.registryUrl(),
                "--metrics-host", "127.0.0.1", "--metrics-port", String.valueOf(metricsPort));
        assertThat(started.exit()).as(started.output()).isZero();
        try {
            Awaitility.await("the app's health check in the container").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2)).until(() -> docker("exec", container,
                            "/opt/arcturus/bin/arcturus", "healthcheck", "http://127.0.0.1:" + metricsPort + "/healthz")
                            .exit() == 0);
            final String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(scrape).contains("app=\"arcturus-liveness\"").contains("kafka_stream_thread_process_total")
                    .contains("arcturus_liveness_flapping_nodes");
            assertThat(docker("exec", container, "/opt/arcturus/bin/arcturus", "healthcheck",
                    "http://127.0.0.1:1/healthz").exit()).as("the health check fails when nothing answers").isNotZero();
        } finally {
            final OpsFiles.Result logs = docker("logs", "--tail", "40", container);
            System.out.println(logs.output());
            docker("rm", "-f", container);
        }
    }

    private static OpsFiles.Result docker(final String... args) throws Exception {
        final String[] argv = new String[args.length + 1];
        argv[0] = "docker";
        System.arraycopy(args, 0, argv, 1, args.length);
        return OpsFiles.run(Map.of(), OpsFiles.ROOT, 300, argv);
    }
}
