package dev.arcturus.testing;

import dev.arcturus.kafka.embedded.EmbeddedKafkaBroker;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.registry.server.SchemaRegistryServer;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicBootstrap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The real plane's foundations for tests: one in-process KRaft broker and one embedded schema registry per test
 * JVM (starting a broker costs seconds; a second one in the same JVM buys nothing). Tests isolate themselves by
 * topic names and application ids, e.g. with {@link #uniqueName(String)}.
 */
public final class SharedPlane implements AutoCloseable {
    private static final Duration BROKER_START_TIMEOUT = Duration.ofSeconds(90);
    private static SharedPlane instance;

    private final EmbeddedKafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final Admin admin;
    private final java.util.Deque<AutoCloseable> dependents = new java.util.concurrent.ConcurrentLinkedDeque<>();

    private SharedPlane(final EmbeddedKafkaBroker broker, final SchemaRegistryServer registry, final Admin admin) {
        this.broker = broker;
        this.registry = registry;
        this.admin = admin;
    }

    /** The JVM-wide plane, started on first use and stopped when the JVM exits. */
    public static synchronized SharedPlane instance() {
        if (instance == null) {
            instance = start();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::close, "shared-plane-shutdown"));
        }
        return instance;
    }

    private static SharedPlane start() {
        final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.throwaway().start(BROKER_START_TIMEOUT);
        try {
            final SchemaRegistryServer registry = SchemaRegistryServer.start(broker.bootstrapServers(),
                    SchemaRegistryServer.DEFAULT_TOPIC, "127.0.0.1", 0);
            final Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
            return new SharedPlane(broker, registry, admin);
        } catch (final IOException e) {
            broker.close();
            throw new UncheckedIOException("cannot start the embedded schema registry", e);
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    /** A new client (with its own caches) for the shared registry. */
    public SchemaRegistryClient registryClient() {
        return new HttpSchemaRegistryClient(registry.url());
    }

    public Admin admin() {
        return admin;
    }

    /** Creates the given catalogue topics (idempotent). */
    public void ensureTopics(final Collection<Topic<?>> topics) {
        new TopicBootstrap(admin, (short) 1).ensure(topics);
    }

    /** A name no other test uses, for topics, groups and application ids. */
    public static String uniqueName(final String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Stops {@code component} (an app, a gateway) when the JVM exits, before the broker: shutdown hooks run
     * concurrently, and a client closing against a broker that is already gone waits out its timeouts.
     */
    public void closeBeforeBroker(final AutoCloseable component) {
        dependents.push(component);
    }

    @Override
    public void close() {
        while (!dependents.isEmpty()) {
            try {
                dependents.pop().close();
            } catch (final Exception e) {
                System.err.println("stopping a test component failed: " + e);
            }
        }
        admin.close();
        registry.close();
        broker.close();
    }
}
