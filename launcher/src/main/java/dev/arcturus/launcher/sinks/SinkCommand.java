package dev.arcturus.launcher.sinks;

import dev.arcturus.launcher.metrics.MetricsOptions;
import dev.arcturus.launcher.serve.EndpointOptions;
import dev.arcturus.launcher.serve.Lifetime;
import dev.arcturus.sinks.delivery.SinkSettings;
import dev.arcturus.sinks.mongo.MongoSink;
import dev.arcturus.sinks.mongo.MongoTopics;
import dev.arcturus.sinks.mysql.MySqlSink;
import dev.arcturus.sinks.mysql.MySqlTopics;
import java.util.concurrent.Callable;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code arcturus sink mysql|mongo}: runs one sink on its own until Ctrl-C. */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Keep a database in step with the plane's topics.",
        subcommands = {SinkCommand.MySql.class, SinkCommand.Mongo.class})
public final class SinkCommand {

    @Command(name = "mysql", mixinStandardHelpOptions = true,
            description = "The Arcturus tables (node_region, system_info, region_probe_info, network_metrics, "
                    + "domain_origin) in MySQL/MariaDB.")
    static final class MySql implements Callable<Integer> {
        @Mixin
        EndpointOptions kafka;
        @Mixin
        MySqlOptions database;
        @Mixin
        MetricsOptions metrics;

        @Override
        public Integer call() throws InterruptedException {
            final MySqlSink sink = MySqlSink.start(SinkSettings.defaults(MySqlSink.DEFAULT_NAME, kafka.endpoints()),
                    database.config(), MySqlTopics.catalogue());
            System.out.printf("MySQL sink %s running: %s -> %s. Ctrl-C stops.%n", MySqlSink.DEFAULT_NAME,
                    kafka.kafkaBootstrap(), database.jdbcUrl);
            return runUntilStopped(sink, metrics);
        }
    }

    @Command(name = "mongo", mixinStandardHelpOptions = true,
            description = "LEOScope's collections (jobs, runs, nodes, tasks, users, config) in MongoDB.")
    static final class Mongo implements Callable<Integer> {
        @Mixin
        EndpointOptions kafka;
        @Mixin
        MongoOptions database;
        @Mixin
        MetricsOptions metrics;

        @Override
        public Integer call() throws InterruptedException {
            final MongoSink sink = MongoSink.start(SinkSettings.defaults(MongoSink.DEFAULT_NAME, kafka.endpoints()),
                    database.config(), MongoTopics.catalogue());
            System.out.printf("MongoDB sink %s running: %s -> %s. Ctrl-C stops.%n", MongoSink.DEFAULT_NAME,
                    kafka.kafkaBootstrap(), database.config());
            return runUntilStopped(sink, metrics);
        }
    }

    private static int runUntilStopped(final AutoCloseable sink, final MetricsOptions metrics)
            throws InterruptedException {
        final Lifetime lifetime = new Lifetime();
        lifetime.add(sink);
        metrics.start(Map.of()).ifPresent(lifetime::add);
        return lifetime.runUntilStopped("arcturus-sink");
    }
}
