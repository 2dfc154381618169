package dev.arcturus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.GatewaySettings;
import dev.arcturus.gateway.tls.SelfSignedCertificate;
import dev.arcturus.gateway.tls.TlsFiles;
import dev.arcturus.cli.ExitCodes;
import dev.arcturus.launcher.plane.PlaneSettings;
import dev.arcturus.launcher.plane.RunningPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The README's CLI walk-through, against a plane and a TLS gateway started as {@code ./arcturus up} starts them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliTest {
    @TempDir
    static Path dir;
    private RunningPlane plane;
    private List<String> connection;
    private int gatewayPort;


    @BeforeAll
    void startPlane() {
        plane = RunningPlane.start(new PlaneSettings(dir.resolve("data"), "127.0.0.1", 0, 0, 0, Optional.empty(),
                Optional.empty(), (short) 1));
        final TlsFiles tls = SelfSignedCertificate.ensure(dir.resolve("tls"));
        final Gateway gateway = plane.startGateway(new GatewaySettings("127.0.0.1", 0, Optional.of(tls),
                GatewaySettings.DEFAULT_DECISION_DEADLINE, dir.resolve("admin-token")));
        assertThat(gateway.newAdminTokenFile()).contains(dir.resolve("admin-token"));
        gatewayPort = gateway.port();
        connection = List.of("--gateway", "localhost:" + gateway.port(), "--ca-cert", tls.certificateChain().toString());
    }

    @Test
    void gatewayListensOnlyWhereItWasToldTo() throws Exception {
        // Bound to 127.0.0.1: this host's other addresses (the Docker bridge at least) must refuse the port.
        final List<java.net.InetAddress> others = java.util.Collections.list(java.net.NetworkInterface
                .getNetworkInterfaces()).stream().filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (final java.net.SocketException e) {
                        return false;
                    }
                }).flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address).toList();
        assertThat(others).as("a non-loopback IPv4 address to try").isNotEmpty();
        for (final java.net.InetAddress address : others) {
            try (java.net.Socket socket = new java.net.Socket()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.connect(
                        new java.net.InetSocketAddress(address, gatewayPort), 2_000))
                        .as("gateway reachable on " + address).isInstanceOf(java.io.IOException.class);
            }
        }
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", gatewayPort), 2_000);
        }
    }

    @AfterAll
    void stopPlane() {
        plane.close();
    }

    private CliRun run(final String tokenFile, final String... args) {
        final List<String> all = new ArrayList<>(List.of(args));
        all.addAll(connection);
        all.addAll(List.of("--token-file", tokenFile));
        return CliRun.of(all.toArray(String[]::new));
    }

    private Path tokenOf(final CliRun issued, final String name) throws Exception {
        final String token = issued.out().lines().filter(l -> l.startsWith("token: ")).findFirst().orElseThrow()
                .substring("token: ".length());
        return Files.writeString(dir.resolve(name + ".token"), token);
    }

    @Test
    void shouldRunTheReadmeWalkThrough() throws Exception {
        final String admin = dir.resolve("admin-token").toString();
        final CliRun node = run(admin, "node", "register", "--nodeid", "lab-1", "--ip", "10.0.0.5", "--region",
                "eu-west", "--name", "lab-1.example");
        assertThat(node.exit()).as(node.err()).isZero();
        final Path nodeToken = tokenOf(node, "lab-1");
        final CliRun alice = run(admin, "user", "register", "--id", "alice", "--name", "Alice", "--team", "netlab");
        assertThat(alice.exit()).as(alice.err()).isZero();
        assertThat(alice.err()).contains("shown only once");
        final String aliceToken = tokenOf(alice, "alice").toString();

        final String[] job = {"job", "schedule", "--jobid", "ping-1", "--nodeid", "lab-1", "--schedule", "*/10 * * * *",
            "--start-date", "2027-01-01T00:00:00Z", "--end-date", "2027-01-02T00:00:00Z", "--length", "120"};
        final CliRun accepted = run(aliceToken, job);
        assertThat(accepted.exit()).as(accepted.err()).isZero();
        assertThat(accepted.out()).startsWith("ACCEPTED ping-1");

        final CliRun conflict = run(aliceToken, "job", "schedule", "--jobid", "ping-2", "--nodeid", "lab-1",
                "--schedule", "1 * * * *", "--start-date", "2027-01-01T00:00:00Z", "--end-date", "2027-01-02T00:00:00Z",
                "--length", "120");
        assertThat(conflict.exit()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(conflict.out()).contains("REJECTED ping-2").contains("conflicts with ping-1 on lab-1");

        final CliRun invalid = run(aliceToken, "job", "schedule", "--jobid", "ping-3", "--nodeid", "lab-1",
                "--schedule", "*/10 * * * *", "--start-date", "2027-01-01T00:00:00Z", "--end-date",
                "2027-01-02T00:00:00Z", "--length", "0");
        assertThat(invalid.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(invalid.err()).contains("error: INVALID_ARGUMENT: job.length_seconds: must be positive");

        final CliRun listed = run(aliceToken, "job", "list");
        assertThat(listed.exit()).isZero();
        assertThat(listed.out()).contains("ping-1").contains("alice").doesNotContain("ping-2");
        assertThat(run(aliceToken, "job", "list", "--json").out()).contains("\"id\":\"ping-1\"");

        assertThat(run(aliceToken, "job", "get", "--jobid", "nope").exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run(aliceToken, "user", "get", "--id", "admin").exit()).as("users see only themselves")
                .isEqualTo(ExitCodes.DENIED);
        assertThat(run(nodeToken.toString(), "node", "scavenger-set", "--nodeid", "lab-1").exit()).isZero();
        assertThat(run(aliceToken, "node", "scavenger-get", "--nodeid", "lab-1").out()).contains("scavenger mode on");
        final CliRun calendar = run(aliceToken, "job", "calendar", "--nodeid", "lab-1", "--from", "2027-01-01T00:00:00Z",
                "--to", "2027-01-01T01:00:00Z");
        assertThat(calendar.out().lines().filter(l -> l.contains("ping-1")).count()).as(calendar.out() + calendar.err() + calendar.exit()).isEqualTo(6);

        assertThat(run(admin, "config", "update", "--set", "routing.k=3").exit()).isZero();
        assertThat(run(aliceToken, "config", "get").out()).contains("routing.k = 3");
        assertThat(run(nodeToken.toString(), "services", "verify", "--verify-userid", "alice").out())
                .contains("denied: role USER may not use the kernel service");

        final Path csv = Files.writeString(dir.resolve("nodes.csv"),
                "id,ip,region,location,tags\nlab-2,10.0.0.6,us-east,Seattle,starlink;roof\nlab-3,10.0.0.7,us-east,,\n");
        final CliRun imported = run(admin, "node", "import", "--file", csv.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("lab-2").contains("lab-3");
        assertThat(run(aliceToken, "node", "get", "--region", "us-east").out()).contains("lab-2").contains("Seattle");

        assertThat(run(aliceToken, "job", "delete", "--jobid", "ping-1").out()).startsWith("ACCEPTED ping-1");
        assertThat(run(aliceToken, "job", "list").out()).doesNotContain("ping-1");
    }

    @Test
    void shouldCountDecisionsConflictsAndCallsOnTheMetricsEndpoint() throws Exception {
        final int port = plane.startMetrics("127.0.0.1", 0).port();
        final String admin = dir.resolve("admin-token").toString();
        assertThat(run(admin, "node", "register", "--nodeid", "metrics-1", "--ip", "10.0.1.5", "--region", "eu-west")
                .exit()).isZero();
        final String before = scrape(port);
        final String[] job = {"job", "schedule", "--schedule", "*/10 * * * *", "--nodeid", "metrics-1",
            "--start-date", "2027-02-01T00:00:00Z", "--end-date", "2027-02-02T00:00:00Z", "--length", "120"};
        assertThat(run(admin, concat(job, "--jobid", "metrics-a")).exit()).isZero();
        assertThat(run(admin, concat(job, "--jobid", "metrics-b")).exit()).isEqualTo(ExitCodes.CONFLICT);
        final String after = scrape(port);

        assertThat(sample(after, "arcturus_admission_decisions_total{outcome=\"ACCEPTED\"")
                - sample(before, "arcturus_admission_decisions_total{outcome=\"ACCEPTED\"")).isEqualTo(1);
        assertThat(sample(after, "arcturus_admission_decisions_total{outcome=\"REJECTED\"")
                - sample(before, "arcturus_admission_decisions_total{outcome=\"REJECTED\"")).isEqualTo(1);
        assertThat(sample(after, "arcturus_admission_conflicts_total") - sample(before,
                "arcturus_admission_conflicts_total")).as("the rejection names one conflicting job").isEqualTo(1);
        assertThat(sample(after, "arcturus_admission_decision_latency_seconds_count")
                - sample(before, "arcturus_admission_decision_latency_seconds_count")).isEqualTo(2);
        assertThat(sample(after, "arcturus_gateway_calls_seconds_count{code=\"OK\",method=\"ScheduleJob\"")
                - sample(before, "arcturus_gateway_calls_seconds_count{code=\"OK\",method=\"ScheduleJob\""))
                .as("a rejection is an OK call with a REJECTED answer").isEqualTo(2);
        assertThat(after).contains("arcturus_liveness_flapping_nodes").contains("kafka_stream_thread_process_total");
        final var health = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    private static String[] concat(final String[] head, final String... tail) {
        final List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    private static String scrape(final int port) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of the first sample whose line starts with {@code prefix} (name and leading labels); 0 if none. */
    private static double sample(final String scrape, final String prefix) {
        return scrape.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
    }
}
