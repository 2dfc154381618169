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

    /** Confluent's key for the registry's basic-auth {@code user:password}. */
    public static final String REGISTRY_USER_INFO = "basic.auth.user.info";
    private static final java.util.regex.Pattern JAAS_USER = java.util.regex.Pattern.compile("username=\"([^\"]*)\"");
    private static final java.util.regex.Pattern JAAS_PASSWORD =
            java.util.regex.Pattern.compile("password=\"([^\"]*)\"");

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
        PlaneEndpoints.fromEnv(env, PROPERTIES_ENV).map(Path::of).ifPresent(file -> settings.putAll(read(file, PROPERTIES_ENV + ": ")));
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

    private static Map<String, String> read(final Path file, final String context) {
        final Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (final IOException e) {
            throw new UncheckedIOException(context + "cannot read the Kafka client properties file " + file, e);
        }
        return properties.stringPropertyNames().stream()
                .collect(Collectors.toMap(name -> name, properties::getProperty));
    }

    /**
     * Settings that sign in as {@code user} with SASL over the loopback broker's plaintext listener.
     *
     * @param mechanism {@code SCRAM-SHA-512} (every component) or {@code PLAIN} (the embedded broker's super user)
     */
    public static KafkaClientSettings sasl(final String mechanism, final String user, final String password) {
        final String module = switch (mechanism) {
            case "SCRAM-SHA-512", "SCRAM-SHA-256" -> "org.apache.kafka.common.security.scram.ScramLoginModule";
            case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule";
            default -> throw new IllegalArgumentException("unsupported SASL mechanism " + mechanism);
        };
        if (user.contains("\"") || password.contains("\"")) {
            throw new IllegalArgumentException("a SASL user name or password may not contain '\"'");
        }
        return new KafkaClientSettings(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", mechanism,
                "sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";"));
    }

    /** Settings from a Kafka client properties file (a principal's login, an operator's admin file). */
    public static KafkaClientSettings fromFile(final Path file) {
        return new KafkaClientSettings(read(file, ""));
    }

    /** Settings from explicit client properties (a properties file already read). */
    public static KafkaClientSettings of(final Properties properties) {
        return new KafkaClientSettings(properties.stringPropertyNames().stream()
                .collect(Collectors.toMap(name -> name, properties::getProperty)));
    }

    /**
     * The user and password to show the schema registry ({@code user:password}), as Confluent's serdes take them:
     * {@code basic.auth.user.info} if set, else the SASL user of {@code sasl.jaas.config} (Confluent's
     * {@code SASL_INHERIT}), so one credential signs a component in at Kafka and at the registry.
     */
    public java.util.Optional<String> registryUserInfo() {
        final String explicit = settings.get(REGISTRY_USER_INFO);
        if (explicit != null && !explicit.isBlank()) {
            return java.util.Optional.of(explicit);
        }
        final String jaas = settings.get("sasl.jaas.config");
        if (jaas == null) {
            return java.util.Optional.empty();
        }
        final java.util.regex.Matcher user = JAAS_USER.matcher(jaas);
        final java.util.regex.Matcher password = JAAS_PASSWORD.matcher(jaas);
        return user.find() && password.find() ? java.util.Optional.of(user.group(1) + ":" + password.group(1))
                : java.util.Optional.empty();
    }

    /** A new, mutable client configuration: {@code bootstrap} and these settings; add the component's own. */
    public Map<String, Object> clientProperties(final String bootstrap) {
        final Map<String, Object> properties = new java.util.HashMap<>(settings);
        properties.remove(REGISTRY_USER_INFO); // the registry's, not a Kafka client's
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
