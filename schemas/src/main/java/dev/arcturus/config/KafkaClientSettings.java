package dev.arcturus.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The one way every component gets its Kafka client security settings for a cluster that needs them (SASL, TLS):
 * the properties file named by {@code ARCTURUS_KAFKA_PROPERTIES} (standard client keys: {@code security.protocol},
 * {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.location}, …), then any
 * {@code ARCTURUS_KAFKA_CLIENT_<KEY>} variable ({@code ARCTURUS_KAFKA_CLIENT_SECURITY_PROTOCOL=SASL_SSL} sets
 * {@code security.protocol}). Producers, consumers, admin clients and streams apps all start from
 * {@link #clientProperties(String)}; a component's own settings (isolation, idempotence, …) come on top.
 *
 * <p>The values may hold secrets ({@code sasl.jaas.config}); {@link #toString()} shows only the keys.
 */
public final class KafkaClientSettings {
    public static final String PROPERTIES_ENV = "ARCTURUS_KAFKA_PROPERTIES";
    public static final String ENV_PREFIX = "ARCTURUS_KAFKA_CLIENT_";
    /** Keys a component sets itself; a settings file may not move them. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("bootstrap.servers", "key.serializer",
            "value.serializer", "key.deserializer", "value.deserializer", "application.id", "group.id",
            "transactional.id");

    private static final KafkaClientSettings NONE = new KafkaClientSettings(Map.of());
    private static volatile KafkaClientSettings fromEnvironment;

    private final Map<String, String> settings;

    private KafkaClientSettings(final Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    /** No settings: a local, unsecured cluster (the embedded default, tests). */
    public static KafkaClientSettings none() {
        return NONE;
    }

    /** The settings this process was started with (read once). */
    public static KafkaClientSettings fromEnvironment() {
        if (fromEnvironment == null) {
            fromEnvironment = of(System.getenv());
        }
        return fromEnvironment;
    }

    /** The settings an environment gives: its properties file, then its {@code ARCTURUS_KAFKA_CLIENT_*} variables. */
    public static KafkaClientSettings of(final Map<String, String> env) {
        final Map<String, String> settings = new TreeMap<>();
        PlaneEndpoints.fromEnv(env, PROPERTIES_ENV).map(Path::of).ifPresent(file -> settings.putAll(read(file)));
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                settings.put(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        settings.keySet().stream().filter(RESERVED::contains).findFirst().ifPresent(key -> {
            throw new IllegalArgumentException(PROPERTIES_ENV + "/" + ENV_PREFIX + "*: '" + key + "' is set by each "
                    + "component, not by the shared client settings");
        });
        return new KafkaClientSettings(settings);
    }

    private static Map<String, String> read(final Path file) {
        final Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (final IOException e) {
            throw new UncheckedIOException(PROPERTIES_ENV + ": cannot read the Kafka client properties file " + file,
                    e);
        }
        return properties.stringPropertyNames().stream()
                .collect(Collectors.toMap(name -> name, properties::getProperty));
    }

    /** A new, mutable client configuration: {@code bootstrap} and these settings; add the component's own. */
    public Map<String, Object> clientProperties(final String bootstrap) {
        final Map<String, Object> properties = new java.util.HashMap<>(settings);
        properties.put("bootstrap.servers", bootstrap);
        return properties;
    }

    /** {@link #clientProperties} with the component's own settings on top. */
    public Map<String, Object> with(final String bootstrap, final Map<String, ?> own) {
        final Map<String, Object> properties = clientProperties(bootstrap);
        properties.putAll(own);
        return properties;
    }

    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public String toString() {
        return "KafkaClientSettings" + settings.keySet();
    }
}
