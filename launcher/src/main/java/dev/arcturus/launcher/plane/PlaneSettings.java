package dev.arcturus.launcher.plane;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code arcturus up} starts and where. An external Kafka bootstrap or registry URL replaces the embedded
 * broker or registry; everything else then connects to those instead.
 *
 * @param dataDir           where the embedded broker keeps its data across restarts
 * @param host              address the embedded services bind to
 * @param kafkaPort         embedded broker port (0 = any free port)
 * @param controllerPort    embedded KRaft controller port (0 = any free port)
 * @param registryPort      embedded registry port (0 = any free port)
 * @param externalKafka     bootstrap servers of an external cluster, if any
 * @param externalRegistry  URL of an external Confluent-API registry, if any
 * @param replicationFactor replication factor for catalogue topics
 * @param anonymousRegistryReads whether the embedded registry answers reads without sign-in (local development)
 */
public record PlaneSettings(Path dataDir, String host, int kafkaPort, int controllerPort, int registryPort,
                            Optional<String> externalKafka, Optional<String> externalRegistry,
                            short replicationFactor, boolean anonymousRegistryReads) {
    /** Settings whose registry signs every caller in. */
    public PlaneSettings(final Path dataDir, final String host, final int kafkaPort, final int controllerPort,
                         final int registryPort, final Optional<String> externalKafka,
                         final Optional<String> externalRegistry, final short replicationFactor) {
        this(dataDir, host, kafkaPort, controllerPort, registryPort, externalKafka, externalRegistry,
                replicationFactor, false);
    }

    public PlaneSettings {
        requirePort("kafka port", kafkaPort);
        requirePort("controller port", controllerPort);
        requirePort("registry port", registryPort);
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be >= 1, was " + replicationFactor);
        }
        if (externalRegistry.isPresent() && externalKafka.isEmpty()) {
            // The embedded broker is throwaway-local; pairing it with a shared registry would register dev
            // schemas in production.
            throw new IllegalArgumentException("an external schema registry needs an external Kafka cluster too");
        }
    }

    private static void requirePort(final String what, final int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(what + " must be 0..65535, was " + port);
        }
    }
}
