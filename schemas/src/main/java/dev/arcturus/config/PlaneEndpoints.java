package dev.arcturus.config;

import java.util.Map;
import java.util.Optional;

/**
 * Where a component finds Kafka and the schema registry. Every component reads the same two variables, so one
 * setting points the whole plane at an external cluster and registry instead of the embedded default.
 *
 * @param kafkaBootstrap    Kafka bootstrap servers, e.g. {@code broker-1:9092,broker-2:9092}
 * @param schemaRegistryUrl base URL of a Confluent-API schema registry
 * @param kafkaClient       the client security settings every Kafka client of the component starts from
 */
public record PlaneEndpoints(String kafkaBootstrap, String schemaRegistryUrl, KafkaClientSettings kafkaClient) {
    /** Endpoints with the client settings of this process's environment ({@link KafkaClientSettings}). */
    public PlaneEndpoints(final String kafkaBootstrap, final String schemaRegistryUrl) {
        this(kafkaBootstrap, schemaRegistryUrl, KafkaClientSettings.fromEnvironment());
    }

    /** A new, mutable Kafka client configuration for this plane; add the component's own settings. */
    public java.util.Map<String, Object> clientProperties() {
        return kafkaClient.clientProperties(kafkaBootstrap);
    }

    /** The same plane, reached as another principal (each component of {@code up} has its own). */
    public PlaneEndpoints as(final KafkaClientSettings principal) {
        return new PlaneEndpoints(kafkaBootstrap, schemaRegistryUrl, principal);
    }

    /** A new client of this plane's registry, signed in as this principal when it has credentials. */
    public dev.arcturus.registry.client.HttpSchemaRegistryClient registryClient() {
        return new dev.arcturus.registry.client.HttpSchemaRegistryClient(schemaRegistryUrl,
                kafkaClient.registryUserInfo());
    }

    public static final String KAFKA_BOOTSTRAP_ENV = "ARCTURUS_KAFKA_BOOTSTRAP";
    public static final String SCHEMA_REGISTRY_URL_ENV = "ARCTURUS_SCHEMA_REGISTRY_URL";

    public PlaneEndpoints {
        requireNonBlank(kafkaBootstrap, KAFKA_BOOTSTRAP_ENV);
        requireNonBlank(schemaRegistryUrl, SCHEMA_REGISTRY_URL_ENV);
        java.util.Objects.requireNonNull(kafkaClient, "kafkaClient");
        if (!schemaRegistryUrl.startsWith("http://") && !schemaRegistryUrl.startsWith("https://")) {
            throw new IllegalArgumentException(SCHEMA_REGISTRY_URL_ENV + " must be an http(s) URL, was '"
                    + schemaRegistryUrl + "'");
        }
    }

    /** Reads a variable from the environment map, treating blank as absent. */
    public static Optional<String> fromEnv(final Map<String, String> env, final String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static void requireNonBlank(final String value, final String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
