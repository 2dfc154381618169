package dev.arcturus.launcher.sinks;

import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.sinks.delivery.SinkSettings;
import dev.arcturus.sinks.mongo.MongoSink;
import dev.arcturus.sinks.mongo.MongoTopics;
import dev.arcturus.sinks.mysql.MySqlSink;
import dev.arcturus.sinks.mysql.MySqlTopics;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code arcturus sink mysql|mongo}: runs one sink on its own until Ctrl-C. */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Keep a database in step with the plane's topics.",
        subcommands = {SinkCommand.MySql.class, SinkCommand.Mongo.class})
public final class SinkCommand {

    /** Kafka and registry endpoints of a standalone component. */
    static final class EndpointOptions {
        @Option(names = "--kafka-bootstrap", defaultValue = "${env:" + PlaneEndpoints.KAFKA_BOOTSTRAP_ENV
                + ":-127.0.0.1:9092}", description = "Kafka bootstrap servers (env " + PlaneEndpoints.KAFKA_BOOTSTRAP_ENV
                + "; default ${DEFAULT-VALUE}).")
        String kafkaBootstrap;

        @Option(names = "--schema-registry-url", defaultValue = "${env:" + PlaneEndpoints.SCHEMA_REGISTRY_URL_ENV
                + ":-http://127.0.0.1:8081}", description = "Schema registry (env "
                + PlaneEndpoints.SCHEMA_REGISTRY_URL_ENV + "; default ${DEFAULT-VALUE}).")
        String schemaRegistryUrl;

        PlaneEndpoints endpoints() {
            return new PlaneEndpoints(kafkaBootstrap, schemaRegistryUrl);
        }
    }

    @Command(name = "mysql", mixinStandardHelpOptions = true,
            description = "The Arcturus tables (node_region, system_info, region_probe_info, network_metrics, "
                    + "domain_origin) in MySQL/MariaDB.")
    static final class MySql implements Callable<Integer> {
        @Mixin
        EndpointOptions kafka;
        @Mixin
        MySqlOptions database;

        @Override
        public Integer call() throws InterruptedException {
            final MySqlSink sink = MySqlSink.start(SinkSettings.defaults(MySqlSink.DEFAULT_NAME, kafka.endpoints()),
                    database.config(), MySqlTopics.catalogue());
            System.out.printf("MySQL sink %s running: %s -> %s. Ctrl-C stops.%n", MySqlSink.DEFAULT_NAME,
                    kafka.kafkaBootstrap, database.jdbcUrl);
            return runUntilStopped(sink);
        }
    }

    @Command(name = "mongo", mixinStandardHelpOptions = true,
            description = "LEOScope's collections (jobs, runs, nodes, tasks, users, config) in MongoDB.")
    static final class Mongo implements Callable<Integer> {
        @Mixin
        EndpointOptions kafka;
        @Mixin
        MongoOptions database;

        @Override
        public Integer call() throws InterruptedException {
            final MongoSink sink = MongoSink.start(SinkSettings.defaults(MongoSink.DEFAULT_NAME, kafka.endpoints()),
                    database.config(), MongoTopics.catalogue());
            System.out.printf("MongoDB sink %s running: %s -> %s. Ctrl-C stops.%n", MongoSink.DEFAULT_NAME,
                    kafka.kafkaBootstrap, database.config());
            return runUntilStopped(sink);
        }
    }

    private static int runUntilStopped(final AutoCloseable sink) throws InterruptedException {
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                sink.close();
            } catch (final Exception e) {
                System.err.println("Stopping the sink failed: " + e);
            }
            stopped.countDown();
        }, "arcturus-sink-shutdown"));
        stopped.await();
        return 0;
    }
}
