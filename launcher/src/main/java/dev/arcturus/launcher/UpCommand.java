package dev.arcturus.launcher;

import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.GatewaySettings;
import dev.arcturus.gateway.runs.RunHistorySettings;
import dev.arcturus.gateway.artifacts.ArtifactStore;
import dev.arcturus.gateway.tls.SelfSignedCertificate;
import dev.arcturus.gateway.tls.TlsFiles;
import dev.arcturus.launcher.logging.OperatorConsole;
import dev.arcturus.launcher.plane.LocalConnector;
import dev.arcturus.launcher.plane.PlaneSettings;
import dev.arcturus.launcher.plane.RunningPlane;
import dev.arcturus.launcher.sinks.MongoOptions;
import dev.arcturus.launcher.sinks.MySqlOptions;
import dev.arcturus.topics.TopicCatalog;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code arcturus up}: runs the whole plane in this process until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Run the plane: an embedded Kafka broker (KRaft) and schema registry by default, "
                + "or connect to external ones.")
public final class UpCommand implements Callable<Integer> {
    @Option(names = "--data-dir", defaultValue = "${env:ARCTURUS_DATA_DIR:-.arcturus/data}",
            description = "Where embedded state is kept across restarts (default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address embedded services bind to.")
    private String host;

    @Option(names = "--kafka-port", defaultValue = "${env:ARCTURUS_KAFKA_PORT:-9092}",
            description = "Embedded broker port (default: ${DEFAULT-VALUE}).")
    private int kafkaPort;

    @Option(names = "--controller-port", defaultValue = "${env:ARCTURUS_CONTROLLER_PORT:-9093}",
            description = "Embedded KRaft controller port (default: ${DEFAULT-VALUE}).")
    private int controllerPort;

    @Option(names = "--registry-port", defaultValue = "${env:ARCTURUS_REGISTRY_PORT:-8081}",
            description = "Embedded schema registry port (default: ${DEFAULT-VALUE}).")
    private int registryPort;

    @Option(names = "--registry-anonymous-reads",
            defaultValue = "${env:ARCTURUS_REGISTRY_ANONYMOUS_READS:-false}",
            description = "Let the embedded registry answer reads without sign-in (local development only; writes "
                    + "always need a principal with the right).")
    private boolean registryAnonymousReads;

    @Option(names = "--kafka-bootstrap", defaultValue = "${env:" + PlaneEndpoints.KAFKA_BOOTSTRAP_ENV + "}",
            description = "Use this external Kafka cluster instead of the embedded broker (env "
                    + PlaneEndpoints.KAFKA_BOOTSTRAP_ENV + ").")
    private String kafkaBootstrap;

    @Option(names = "--schema-registry-url", defaultValue = "${env:" + PlaneEndpoints.SCHEMA_REGISTRY_URL_ENV + "}",
            description = "Use this external Confluent-API registry instead of the embedded one (env "
                    + PlaneEndpoints.SCHEMA_REGISTRY_URL_ENV + ").")
    private String schemaRegistryUrl;

    @Option(names = "--replication-factor", defaultValue = "1",
            description = "Replication factor of catalogue topics (default: ${DEFAULT-VALUE}; use 3 on a real cluster).")
    private short replicationFactor;

    @Option(names = "--gateway-port", defaultValue = "${env:ARCTURUS_GATEWAY_PORT:-50051}",
            description = "gRPC gateway port (default: ${DEFAULT-VALUE}).")
    private int gatewayPort;

    @Option(names = "--tls-cert", defaultValue = "${env:ARCTURUS_TLS_CERT}",
            description = "Gateway certificate chain (PEM); default: a self-signed localhost pair made on first start.")
    private Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:ARCTURUS_TLS_KEY}",
            description = "Gateway private key (PEM, PKCS#8), with --tls-cert.")
    private Path tlsKey;

    @Option(names = "--docker-host", defaultValue = "${env:ARCTURUS_DOCKER_HOST:-unix:///var/run/docker.sock}",
            description = "Docker engine of the local connector (default: ${DEFAULT-VALUE}); none reachable: no connector.")
    private String dockerHost;

    @Option(names = "--pull-images", defaultValue = "${env:ARCTURUS_PULL_IMAGES:-false}",
            description = "Let the local connector pull missing images (default: ${DEFAULT-VALUE}).")
    private boolean pullImages;

    @Option(names = "--dashboard-port", defaultValue = "${env:ARCTURUS_DASHBOARD_PORT:-" + GatewaySettings.DEFAULT_DASHBOARD_PORT + "}",
            description = "Port of the live dashboard, HTTPS with the gateway's certificate (default: ${DEFAULT-VALUE}; "
                    + "negative: none).")
    private int dashboardPort;

    @Option(names = "--metrics-port", defaultValue = "${env:ARCTURUS_METRICS_PORT:-9464}",
            description = "Port of the Prometheus endpoint /metrics (default: ${DEFAULT-VALUE}; negative: none).")
    private int metricsPort;

    @Mixin
    private MySqlOptions mysql;

    @Mixin
    private MongoOptions mongo;

    @Mixin
    private dev.arcturus.launcher.serve.OperatorValuesOptions operatorValues;

    /**
     * The plane's state (broker data, logs, the gateway's key, the admin token) is readable by its owner only: created
     * 0700, and tightened if an older run left it open.
     */
    static void ownerOnly(final Path... directories) {
        for (final Path directory : directories) {
            try {
                Files.createDirectories(directory);
                if (Files.getFileStore(directory).supportsFileAttributeView("posix")) {
                    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
                }
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot create " + directory + " for the plane's state", e);
            }
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        final PlaneSettings settings = new PlaneSettings(dataDir.toAbsolutePath(), host, kafkaPort, controllerPort,
                registryPort, blankToEmpty(kafkaBootstrap), blankToEmpty(schemaRegistryUrl), replicationFactor,
                registryAnonymousReads);
        final long startedAt = System.nanoTime();
        operatorValues.values(); // seed 000's files are checked before anything starts
        final Path root = dataDir.toAbsolutePath().getParent();
        ownerOnly(root, dataDir.toAbsolutePath(), root.resolve("logs"), root.resolve("tls"));
        final Path logFile = OperatorConsole.logToFile(dataDir.toAbsolutePath().getParent().resolve("logs")
                .resolve("arcturus.log"));
        final RunningPlane plane = RunningPlane.start(settings);
        final List<String> sinks;
        final Gateway gateway;
        final Optional<LocalConnector> connector;
        final String metrics;
        final String operatorFiles;
        final Path stateRoot = dataDir.toAbsolutePath().getParent();
        try {
            gateway = plane.startGateway(operatorValues.gatewaySettings(new GatewaySettings(host, gatewayPort,
                    Optional.of(tls(stateRoot)), GatewaySettings.DEFAULT_DECISION_DEADLINE,
                    stateRoot.resolve("admin-token"))
                    .withDashboardPort(dashboardPort)
                    // Kept beside the broker's data, so a restart resumes the run history instead of replaying it.
                    .withRunHistory(RunHistorySettings.in(stateRoot.resolve("gateway").resolve("runs")))
                    .withArtifactStorage(Optional.ofNullable(System.getenv(ArtifactStore.CONNECTION_STRING_ENV))
                            .filter(s -> !s.isBlank()))));
            operatorFiles = operatorValues.applyTo(gateway);
            connector = plane.startLocal(() -> LocalConnector.startIfDocker(dockerHost, pullImages, gateway.port(),
                    stateRoot.resolve("tls/gateway.crt"), stateRoot));
            sinks = plane.startSinks(mysql.isConfigured() ? Optional.of(mysql.config()) : Optional.empty(),
                    mongo.isConfigured() ? Optional.of(mongo.config()) : Optional.empty());
            metrics = metricsPort < 0 ? "none" : "http://" + host + ":" + plane.startMetrics(host, metricsPort).port()
                    + "/metrics  (Prometheus: JVM and every streams app)";
        } catch (final RuntimeException e) {
            plane.close();
            throw e;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Logging may already be shut down here, hence stderr.
            System.err.println("Stopping Arcturus...");
            plane.close();
            stopped.countDown();
        }, "arcturus-shutdown"));
        printBanner(System.out, plane, settings, sinks, gateway, metrics, connector.isPresent() ? "node '" + LocalConnector.NODE_ID
                + "' on " + dockerHost + (pullImages ? " (pulls missing images)" : " (local images only)")
                : "none (no Docker engine at " + dockerHost + ")", stateRoot, logFile,
                (System.nanoTime() - startedAt) / 1_000_000, operatorFiles);
        stopped.await();
        return 0;
    }

    private static void printBanner(final PrintStream out, final RunningPlane plane, final PlaneSettings settings,
                                    final List<String> sinks, final Gateway gateway, final String metrics,
                                    final String connector,
                                    final Path stateRoot, final Path logFile,
                                    final long startMillis, final String operatorFiles) {
        final PlaneEndpoints endpoints = plane.endpoints();
        out.printf("%nArcturus is up (%d ms).%n", startMillis);
        out.printf("  Kafka bootstrap   %s%s%n", endpoints.kafkaBootstrap(),
                plane.isKafkaEmbedded() ? "  (embedded KRaft broker, data in " + settings.dataDir() + ")" : "  (external)");
        if (plane.isKafkaEmbedded()) {
            out.printf("  Kafka clients     SASL/SCRAM + ACLs; each principal's login in %s (mode 0600)%n",
                    RunningPlane.credentialsDir(settings));
        }
        out.printf("  Schema registry   %s%s%n", endpoints.schemaRegistryUrl(),
                plane.isRegistryEmbedded() ? "  (embedded, Confluent API, stored in topic _schemas; sign in as a "
                        + "principal" + (settings.anonymousRegistryReads() ? ", reads open" : "") + ")"
                        : "  (external)");
        out.printf("  Topics            %d in the catalogue, %d created now%n", TopicCatalog.all().size(),
                plane.createdTopics().size());
        out.printf("  Streams apps      admission (job conflicts), liveness (node health), network metrics (links),"
                + " path selection, run state, placement%n");
        out.printf("  Gateway           %s:%d  (gRPC over TLS; CA certificate %s)%n", settings.host(), gateway.port(),
                stateRoot.resolve("tls/gateway.crt"));
        out.printf("  Dashboard         %s%n", gateway.dashboardPort()
                .map(p -> "https://" + settings.host() + ":" + p + "/  (live; sign in with the admin token)")
                .orElse("none"));
        out.printf("  Admin token       %s%n", gateway.newAdminTokenFile()
                .map(f -> "written to " + f + " (mode 0600; shown nowhere else)")
                .orElse("unchanged (an admin already exists)"));
        out.printf("  Local connector   %s%n", connector);
        out.printf("  Metrics           %s%n", metrics);
        out.printf("  Sinks             %s%n", sinks.isEmpty()
                ? "none (set ARCTURUS_MYSQL_JDBC_URL and/or ARCTURUS_MONGO_URI to keep databases in step)"
                : String.join(", ", sinks));
        if (!operatorFiles.isEmpty()) {
            out.printf("  Operator files    %s%n", operatorFiles);
        }
        out.printf("  Log               %s  (everything; this console shows only what needs you)%n", logFile);
        out.printf("  Point components here with %s=%s %s=%s%n", PlaneEndpoints.KAFKA_BOOTSTRAP_ENV,
                endpoints.kafkaBootstrap(), PlaneEndpoints.SCHEMA_REGISTRY_URL_ENV, endpoints.schemaRegistryUrl());
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    private TlsFiles tls(final Path stateRoot) {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        return tlsCert != null ? new TlsFiles(tlsCert, tlsKey)
                : SelfSignedCertificate.ensure(stateRoot.resolve("tls"));
    }

    private static Optional<String> blankToEmpty(final String value) {
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }
}
