package dev.arcturus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.GatewaySettings;
import dev.arcturus.gateway.api.v1.GetPathsRequest;
import dev.arcturus.gateway.api.v1.PathEvent;
import dev.arcturus.gateway.api.v1.PlaneServiceGrpc;
import dev.arcturus.gateway.api.v1.Route;
import dev.arcturus.gateway.api.v1.WatchPathsRequest;
import dev.arcturus.gateway.client.GatewayChannels;
import dev.arcturus.gateway.tls.SelfSignedCertificate;
import dev.arcturus.gateway.tls.TlsFiles;
import dev.arcturus.launcher.plane.PlaneSettings;
import dev.arcturus.launcher.plane.RunningPlane;
import dev.arcturus.sinks.mysql.MySqlSinkConfig;
import dev.arcturus.testing.TestServices;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 000's operator, start to finish: {@code arcturus db init}, the seed's INSERT statements verbatim, the plane
 * started with its MySQL sink (change capture on), monitoring agents appending probes; the nodes show in
 * {@code arcturus node get}, paths are computed from the probes and pushed to a region's watcher when a probe changes
 * them, an UPDATE of domain_origin changes them and a DELETE removes the node.
 */
class SeedOperatorsTest {
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void shouldRunTheSeedsDatabaseFlowThroughThePlane() throws Exception {
        final String database = "arcturus_test_seed_" + UUID.randomUUID().toString().substring(0, 8);
        execute(TestServices.jdbcUrl(), "CREATE DATABASE " + database);
        final String jdbcUrl = TestServices.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
        final Path password = Files.writeString(dir.resolve("mysql-password"), TestServices.jdbcPassword());
        try (RunningPlane plane = RunningPlane.start(new PlaneSettings(dir.resolve("data"), "127.0.0.1", 0, 0, 0,
                Optional.empty(), Optional.empty(), (short) 1))) {
            // "Initialise the tables before starting", then "populate initial node data".
            final CliRun init = run("db", "init", "--jdbc-url", jdbcUrl, "--mysql-user", TestServices.jdbcUser(),
                    "--mysql-password-file", password.toString());
            assertThat(init.exit()).as(init.err()).isZero();
            assertThat(init.out()).contains("Arcturus tables ready");
            execute(jdbcUrl, """
                    INSERT INTO node_region (ip, region, hostname, description)
                    VALUES
                    ('192.168.1.1', 'US-East', 'controller-01', 'Primary controller for US-East'),
                    ('192.168.1.2', 'US-West', 'proxy-01', 'Edge proxy for US-West'),
                    ('192.168.1.3', 'EU-Central', 'proxy-02', 'Edge proxy for EU-Central');""");
            execute(jdbcUrl, """
                    INSERT INTO domain_origin (domain, origin_ip)
                    VALUES
                    ('example.com', '10.0.1.5'),
                    ('api.example.com', '10.0.1.6'),
                    ('cdn.example.com', '10.0.1.7');""");

            plane.startSinks(Optional.of(MySqlSinkConfig.of(jdbcUrl, TestServices.jdbcUser(),
                    TestServices.jdbcPassword()).withCapture(true)), Optional.empty());
            final TlsFiles tls = SelfSignedCertificate.ensure(dir.resolve("tls"));
            final Gateway gateway = plane.startGateway(new GatewaySettings("127.0.0.1", 0, Optional.of(tls),
                    GatewaySettings.DEFAULT_DECISION_DEADLINE, dir.resolve("admin-token")));
            final List<String> connection = List.of("--gateway", "localhost:" + gateway.port(), "--ca-cert",
                    tls.certificateChain().toString(), "--token-file", dir.resolve("admin-token").toString());

            await().atMost(WITHIN).untilAsserted(() -> {
                final CliRun nodes = run(connection, "node", "get");
                assertThat(nodes.exit()).as(nodes.err()).isZero();
                assertThat(nodes.out()).contains("controller-01").contains("proxy-01").contains("proxy-02")
                        .contains("192.168.1.1").contains("US-East");
            });

            final CliRun origins = run(connection, "plane", "origins");
            assertThat(origins.exit()).as(origins.err()).isZero();
            assertThat(origins.out()).contains("example.com").contains("10.0.1.5").contains("cdn.example.com");

            // Monitoring agents append probes (the seed's statement, then the links to the origins).
            execute(jdbcUrl, """
                    INSERT INTO region_probe_info (source_ip, source_region, target_ip, target_region, tcp_delay, probe_time)
                    VALUES
                    ('192.168.1.1', 'US-East', '192.168.1.2', 'US-West', 45, NOW()),
                    ('192.168.1.1', 'US-East', '192.168.1.3', 'EU-Central', 120, NOW());""");
            execute(jdbcUrl, """
                    INSERT INTO region_probe_info (source_ip, source_region, target_ip, target_region, tcp_delay, probe_time)
                    VALUES
                    ('192.168.1.2', 'US-West', '10.0.1.5', 'origin', 10, NOW()),
                    ('192.168.1.1', 'US-East', '10.0.1.5', 'origin', 200, NOW()),
                    ('192.168.1.1', 'US-East', '10.0.1.6', 'origin', 50, NOW());""");
            final ManagedChannel channel = GatewayChannels.open("localhost:" + gateway.port(),
                    Optional.of(tls.certificateChain()), false);
            try {
                final var paths = PlaneServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels
                        .bearer(readToken()));
                await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> assertThat(firstRoute(paths.getPaths(
                        GetPathsRequest.newBuilder().setSourceRegion("US-East").setDomain("example.com").build())
                        .getRoutesList())).containsExactly("controller-01", "proxy-01", "10.0.1.5"));

                // A proxy of the region follows its paths; an agent finds the controller's direct link to the origin
                // much faster: the new path is pushed.
                final List<PathEvent> pushed = new CopyOnWriteArrayList<>();
                final Context.CancellableContext watch = Context.current().withCancellation();
                watch.run(() -> PlaneServiceGrpc.newStub(channel).withCallCredentials(GatewayChannels.bearer(
                        readToken())).watchPaths(WatchPathsRequest.newBuilder().setRegion("US-East").build(),
                        new StreamObserver<>() {
                            @Override
                            public void onNext(final PathEvent event) {
                                pushed.add(event);
                            }

                            @Override
                            public void onError(final Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                            }
                        }));
                await().atMost(WITHIN).until(() -> !pushed.isEmpty() && pushed.get(0).getBookmark());
                final long probedAt = System.nanoTime();
                execute(jdbcUrl, """
                        INSERT INTO region_probe_info (source_ip, source_region, target_ip, target_region, tcp_delay, probe_time)
                        VALUES ('192.168.1.1', 'US-East', '10.0.1.5', 'origin', 5, NOW()),
                               ('192.168.1.1', 'US-East', '10.0.1.5', 'origin', 5, NOW()),
                               ('192.168.1.1', 'US-East', '10.0.1.5', 'origin', 5, NOW());""");
                await().atMost(WITHIN).until(() -> pushed.stream().anyMatch(event -> event.hasSelection()
                        && event.getSelectionKey().equals("US-East|example.com")
                        && event.getSelection().getRoutes(0).getNodeIdsList().equals(List.of("controller-01",
                        "10.0.1.5"))));
                System.out.printf("WatchPaths: new path pushed %d ms after the probe rows were written%n",
                        (System.nanoTime() - probedAt) / 1_000_000);
                watch.cancel(null);

                final CliRun shown = run(connection, "plane", "paths", "--region", "US-East", "--domain",
                        "example.com");
                assertThat(shown.exit()).as(shown.err()).isZero();
                assertThat(shown.out()).contains("REGION_TO_DOMAIN").contains("controller-01 > 10.0.1.5");

                // The operator moves example.com to the origin api.example.com uses: its paths follow.
                execute(jdbcUrl, "UPDATE domain_origin SET origin_ip = '10.0.1.6' WHERE domain = 'example.com'");
                await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> assertThat(firstRoute(paths.getPaths(
                        GetPathsRequest.newBuilder().setSourceRegion("US-East").setDomain("example.com").build())
                        .getRoutesList())).containsExactly("controller-01", "10.0.1.6"));
            } finally {
                channel.shutdownNow();
            }

            // ... and deletes a node.
            execute(jdbcUrl, "DELETE FROM node_region WHERE hostname = 'proxy-02'");
            await().atMost(WITHIN).untilAsserted(() -> {
                final CliRun nodes = run(connection, "node", "get");
                assertThat(nodes.out()).contains("controller-01").doesNotContain("proxy-02");
            });
        } finally {
            execute(TestServices.jdbcUrl(), "DROP DATABASE IF EXISTS " + database);
        }
    }

    private String readToken() {
        try {
            return Files.readString(dir.resolve("admin-token")).strip();
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> firstRoute(final List<Route> routes) {
        assertThat(routes).isNotEmpty();
        return routes.get(0).getNodeIdsList();
    }

    private static void execute(final String url, final String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, TestServices.jdbcUser(),
                TestServices.jdbcPassword());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }


    private static CliRun run(final List<String> connection, final String... args) {
        final List<String> all = new ArrayList<>(List.of(args));
        all.addAll(connection);
        return run(all.toArray(String[]::new));
    }

    private static CliRun run(final String... args) {
        return CliRun.of(args);
    }
}
