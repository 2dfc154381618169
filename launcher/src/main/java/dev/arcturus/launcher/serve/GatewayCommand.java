package dev.arcturus.launcher.serve;

import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.GatewaySettings;
import dev.arcturus.gateway.runs.RunHistorySettings;
import dev.arcturus.gateway.artifacts.ArtifactStore;
import dev.arcturus.gateway.tls.TlsFiles;
import dev.arcturus.launcher.metrics.MetricsOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code arcturus gateway}: the gRPC gateway on its own, against an external plane. Stateless apart from its view
 * of the state topics, so run as many as the load needs behind a TCP load balancer. TLS is required unless
 * {@code --plaintext} says a mesh or a loopback-only port terminates it.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true, description = "Run the gRPC gateway until stopped.")
public final class GatewayCommand implements Callable<Integer> {
    @Mixin
    EndpointOptions plane;

    @Mixin
    MetricsOptions metrics;

    @Option(names = "--host", defaultValue = "${env:ARCTURUS_GATEWAY_HOST:-0.0.0.0}", description = "Bind address.")
    String host;

    @Option(names = "--port", defaultValue = "${env:ARCTURUS_GATEWAY_PORT:-50051}", description = "gRPC port.")
    int port;

    @Option(names = "--tls-cert", defaultValue = "${env:ARCTURUS_TLS_CERT}", description = "Certificate chain (PEM).")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:ARCTURUS_TLS_KEY}", description = "Private key (PEM, PKCS#8).")
    Path tlsKey;

    @Option(names = "--dashboard-port", defaultValue = "${env:ARCTURUS_DASHBOARD_PORT:-" + GatewaySettings.DEFAULT_DASHBOARD_PORT + "}",
            description = "Live dashboard port (HTTPS with the gateway's certificate; negative: none).")
    int dashboardPort;

    @Option(names = "--plaintext", description = "Serve without TLS (behind a TLS-terminating mesh only).")
    boolean plaintext;

    @Option(names = "--admin-token-file", defaultValue = "${env:ARCTURUS_ADMIN_TOKEN_FILE:-.arcturus/admin-token}",
            description = "Where the first admin token is written if no admin exists and ARCTURUS_ADMIN_TOKEN is unset.")
    Path adminTokenFile;

    @Option(names = "--state-dir", defaultValue = "${env:ARCTURUS_GATEWAY_STATE_DIR:-.arcturus/gateway}",
            description = "Where this replica keeps its run history on disk (RocksDB, in runs/); one directory per "
                    + "replica. Lost or stale, it is rebuilt from the runs topic. Default ${DEFAULT-VALUE}.")
    Path stateDir;

    @Option(names = "--run-hot-window-days", defaultValue = "${env:ARCTURUS_RUN_HOT_WINDOW_DAYS:-90}",
            description = "How long a final run stays answerable here after it was scheduled; older runs are in the "
                    + "MongoDB sink (the archive). Open runs never leave. Default ${DEFAULT-VALUE}.")
    int hotWindowDays;

    @Option(names = "--run-cache-mb", defaultValue = "${env:ARCTURUS_RUN_CACHE_MB:-64}",
            description = "Off-heap block cache of the run history, MiB. Default ${DEFAULT-VALUE}.")
    int runCacheMb;

    @Mixin
    OperatorValuesOptions operatorValues;

    @Override
    public Integer call() throws InterruptedException {
        final Optional<TlsFiles> tls = tls();
        operatorValues.values(); // checked before anything starts
        final Lifetime lifetime = new Lifetime();
        try {
            final Gateway gateway = lifetime.add(Gateway.start(plane.endpoints(), operatorValues.gatewaySettings(
                    new GatewaySettings(host, port, tls,
                    GatewaySettings.DEFAULT_DECISION_DEADLINE, adminTokenFile.toAbsolutePath())
                    .withDashboardPort(dashboardPort)
                    .withRunHistory(new RunHistorySettings(Optional.of(stateDir.toAbsolutePath().resolve("runs")),
                            Duration.ofDays(hotWindowDays), (long) runCacheMb << 20))
                    .withArtifactStorage(Optional.ofNullable(System.getenv(ArtifactStore.CONNECTION_STRING_ENV))
                            .filter(s -> !s.isBlank()))), Clock.systemUTC()));
            final String applied = operatorValues.applyTo(gateway);
            if (!applied.isEmpty()) {
                System.out.println("Operator files " + applied);
            }
            metrics.start(Map.of()).ifPresent(lifetime::add);
            System.out.printf("Gateway serving on %s:%d (%s) against %s. Ctrl-C stops.%n", host, gateway.port(),
                    tls.isPresent() ? "TLS" : "plaintext", plane.kafkaBootstrap());
            gateway.newAdminTokenFile().ifPresent(f -> System.out.println("Admin token written to " + f));
        } catch (final RuntimeException e) {
            lifetime.close();
            throw e;
        }
        return lifetime.runUntilStopped("arcturus-gateway");
    }

    private Optional<TlsFiles> tls() {
        if (plaintext) {
            if (tlsCert != null || tlsKey != null) {
                throw new IllegalArgumentException("--plaintext: not with --tls-cert/--tls-key");
            }
            return Optional.empty();
        }
        if (tlsCert == null || tlsKey == null) {
            throw new IllegalArgumentException("--tls-cert and --tls-key (or ARCTURUS_TLS_CERT/ARCTURUS_TLS_KEY) are "
                    + "required; --plaintext only behind a TLS-terminating mesh");
        }
        return Optional.of(new TlsFiles(tlsCert, tlsKey));
    }
}
