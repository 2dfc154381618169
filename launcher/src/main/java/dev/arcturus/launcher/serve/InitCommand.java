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

    @Override
    public Integer call() {
        final List<String> created = RunningPlane.ensureCatalogue(plane.kafkaBootstrap(),
                plane.endpoints().kafkaClient(), replicationFactor);
        RunningPlane.registerValueSchemas(plane.endpoints());
        System.out.printf("Catalogue ready: %d topics (%d created now), %d value schemas registered at %s%n",
                TopicCatalog.all().size(), created.size(), TopicCatalog.all().size(),
                plane.endpoints().schemaRegistryUrl());
        return 0;
    }
}
