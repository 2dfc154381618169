package dev.arcturus.launcher;

import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.launcher.sinks.MongoOptions;
import dev.arcturus.launcher.sinks.MySqlOptions;
import dev.arcturus.topics.TopicCatalog;
import java.io.PrintStream;
import java.nio.file.Path;
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

    @Mixin
    private MySqlOptions mysql;

    @Mixin
    private MongoOptions mongo;

    @Override
    public Integer call() throws InterruptedException {
        final PlaneSettings settings = new PlaneSettings(dataDir.toAbsolutePath(), host, kafkaPort, controllerPort,
                registryPort, blankToEmpty(kafkaBootstrap), blankToEmpty(schemaRegistryUrl), replicationFactor);
        final long startedAt = System.nanoTime();
        final RunningPlane plane = RunningPlane.start(settings);
        final List<String> sinks;
        try {
            sinks = plane.startSinks(mysql.isConfigured() ? Optional.of(mysql.config()) : Optional.empty(),
                    mongo.isConfigured() ? Optional.of(mongo.config()) : Optional.empty());
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
        printBanner(System.out, plane, settings, sinks, (System.nanoTime() - startedAt) / 1_000_000);
        stopped.await();
        return 0;
    }

    private static void printBanner(final PrintStream out, final RunningPlane plane, final PlaneSettings settings,
                                    final List<String> sinks, final long startMillis) {
        final PlaneEndpoints endpoints = plane.endpoints();
        out.printf("%nArcturus is up (%d ms).%n", startMillis);
        out.printf("  Kafka bootstrap   %s%s%n", endpoints.kafkaBootstrap(),
                plane.isKafkaEmbedded() ? "  (embedded KRaft broker, data in " + settings.dataDir() + ")" : "  (external)");
        out.printf("  Schema registry   %s%s%n", endpoints.schemaRegistryUrl(),
                plane.isRegistryEmbedded() ? "  (embedded, Confluent API, stored in topic _schemas)" : "  (external)");
        out.printf("  Topics            %d in the catalogue, %d created now%n", TopicCatalog.all().size(),
                plane.createdTopics().size());
        out.printf("  Streams apps      admission (job conflicts), liveness (node health), network metrics (links),"
                + " path selection%n");
        out.printf("  Sinks             %s%n", sinks.isEmpty()
                ? "none (set ARCTURUS_MYSQL_JDBC_URL and/or ARCTURUS_MONGO_URI to keep databases in step)"
                : String.join(", ", sinks));
        out.printf("  Point components here with %s=%s %s=%s%n", PlaneEndpoints.KAFKA_BOOTSTRAP_ENV,
                endpoints.kafkaBootstrap(), PlaneEndpoints.SCHEMA_REGISTRY_URL_ENV, endpoints.schemaRegistryUrl());
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    private static Optional<String> blankToEmpty(final String value) {
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }
}
