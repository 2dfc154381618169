package dev.arcturus.launcher.serve;

import dev.arcturus.config.PlaneEndpoints;
import picocli.CommandLine.Option;

/** Kafka and registry endpoints of a standalone component. */
public final class EndpointOptions {
    @Option(names = "--kafka-bootstrap", defaultValue = "${env:" + PlaneEndpoints.KAFKA_BOOTSTRAP_ENV
            + ":-127.0.0.1:9092}", description = "Kafka bootstrap servers (env " + PlaneEndpoints.KAFKA_BOOTSTRAP_ENV
            + "; default ${DEFAULT-VALUE}).")
    String kafkaBootstrap;

    @Option(names = "--schema-registry-url", defaultValue = "${env:" + PlaneEndpoints.SCHEMA_REGISTRY_URL_ENV
            + ":-http://127.0.0.1:8081}", description = "Schema registry (env "
            + PlaneEndpoints.SCHEMA_REGISTRY_URL_ENV + "; default ${DEFAULT-VALUE}).")
    String schemaRegistryUrl;

    public PlaneEndpoints endpoints() {
        return new PlaneEndpoints(kafkaBootstrap, schemaRegistryUrl);
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }
}
