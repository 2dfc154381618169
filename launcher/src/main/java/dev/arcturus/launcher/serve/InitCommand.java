package dev.arcturus.launcher.serve;

import dev.arcturus.launcher.plane.RunningPlane;
import dev.arcturus.topics.TopicCatalog;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code arcturus init}: creates the topic catalogue and registers every value schema on an external cluster and
 * registry, then exits. Idempotent, so a deployment runs it before the apps on every start (a compose one-shot
 * service, a Helm pre-install/pre-upgrade hook).
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create the catalogue's topics and register its schemas on an external Kafka and registry.")
public final class InitCommand implements Callable<Integer> {
    @Mixin
    EndpointOptions plane;

    @Option(names = "--replication-factor", defaultValue = "${env:ARCTURUS_REPLICATION_FACTOR:-3}",
            description = "Replication factor of new topics (default ${DEFAULT-VALUE}).")
    short replicationFactor;

    @Option(names = "--secure-bus", paramLabel = "<dir>",
            description = "Also give every component its own SCRAM login (kept in <dir>/<principal>.properties, "
                    + "generated if missing, mode 0600) and exactly the plane's ACLs. Runs as the cluster's admin "
                    + "(ARCTURUS_KAFKA_PROPERTIES, or --admin-properties).")
    java.nio.file.Path secureBus;

    @Option(names = "--admin-properties", paramLabel = "<file>",
            description = "The admin's Kafka client properties (default: ARCTURUS_KAFKA_PROPERTIES and "
                    + "ARCTURUS_KAFKA_CLIENT_*).")
    java.nio.file.Path adminProperties;

    @Override
    public Integer call() {
        final dev.arcturus.config.PlaneEndpoints admin = adminProperties == null ? plane.endpoints()
                : plane.endpoints().as(dev.arcturus.config.KafkaClientSettings.fromFile(adminProperties));
        if (secureBus != null) {
            final dev.arcturus.bus.BusCredentials credentials = dev.arcturus.bus.BusCredentials.loadOrCreate(
                    secureBus, dev.arcturus.bus.BusPrincipal.components());
            try (org.apache.kafka.clients.admin.Admin client = org.apache.kafka.clients.admin.Admin.create(
                    admin.clientProperties())) {
                dev.arcturus.bus.BusBootstrap.apply(client, admin.kafkaBootstrap(), credentials,
                        java.time.Duration.ofSeconds(60));
            }
            System.out.printf("Bus secured: %d component logins in %s, ACLs as docs/security.md%n",
                    credentials.principals().size(), secureBus.toAbsolutePath());
        }
        return createCatalogue(admin);
    }

    private Integer createCatalogue(final dev.arcturus.config.PlaneEndpoints admin) {
        final List<String> created = RunningPlane.ensureCatalogue(admin.kafkaBootstrap(), admin.kafkaClient(),
                replicationFactor);
        RunningPlane.registerValueSchemas(admin);
        System.out.printf("Catalogue ready: %d topics (%d created now), %d value schemas registered at %s%n",
                TopicCatalog.all().size(), created.size(), TopicCatalog.all().size(),
                plane.endpoints().schemaRegistryUrl());
        return 0;
    }
}
