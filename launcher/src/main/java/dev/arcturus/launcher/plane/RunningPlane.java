package dev.arcturus.launcher.plane;

import dev.arcturus.apps.PlaneApps;
import dev.arcturus.config.KafkaClientSettings;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.GatewaySettings;
import dev.arcturus.kafka.embedded.EmbeddedKafkaBroker;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.registry.server.SchemaRegistryServer;
import dev.arcturus.serde.ConfluentWireFormat;
import dev.arcturus.sinks.delivery.SinkSettings;
import dev.arcturus.sinks.mongo.MongoSink;
import dev.arcturus.sinks.mongo.MongoSinkConfig;
import dev.arcturus.sinks.mongo.MongoTopics;
import dev.arcturus.sinks.mysql.MySqlSink;
import dev.arcturus.sinks.mysql.MySqlSinkConfig;
import dev.arcturus.sinks.mysql.MySqlTopics;
import dev.arcturus.streams.StreamsAppKind;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicBootstrap;
import dev.arcturus.topics.TopicCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plane as started by {@code arcturus up}: the embedded broker (or an external cluster), the topic catalogue,
 * the embedded registry (or an external one) with every value schema registered, and, as they land, each
 * component. Closing stops everything in reverse start order.
 */
public final class RunningPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunningPlane.class);
    private static final Duration BROKER_START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration APP_START_TIMEOUT = Duration.ofSeconds(120);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    /** The streams apps of this process by application id, for metrics. */
    private final Map<String, KafkaStreams> streamsApps = new java.util.LinkedHashMap<>();
    private PlaneEndpoints endpoints;
    private List<String> createdTopics = List.of();
    private boolean embeddedKafka;
    private boolean embeddedRegistry;

    private RunningPlane() {
    }

    public static RunningPlane start(final PlaneSettings settings) {
        final RunningPlane plane = new RunningPlane();
        try {
            plane.startAll(settings);
            return plane;
        } catch (final RuntimeException e) {
            plane.close();
            throw e;
        }
    }

    private void startAll(final PlaneSettings settings) {
        final String bootstrap = settings.externalKafka().orElseGet(() -> startBroker(settings));
        embeddedKafka = settings.externalKafka().isEmpty();
        createdTopics = ensureCatalogue(bootstrap, settings.replicationFactor());
        final String registryUrl = settings.externalRegistry().orElseGet(() -> startRegistry(settings, bootstrap));
        embeddedRegistry = settings.externalRegistry().isEmpty();
        registerValueSchemas(registryUrl);
        endpoints = new PlaneEndpoints(bootstrap, registryUrl);
        startApps(settings);
    }

    /** The streams apps, each in this process; in production each runs (and scales) on its own. */
    private void startApps(final PlaneSettings settings) {
        final java.nio.file.Path state = settings.dataDir().resolve("streams");
        for (final StreamsAppKind app : PlaneApps.all()) {
            final StreamsAppKind.Running running = app.start(endpoints, state, "local", APP_START_TIMEOUT);
            started.push(running.app());
            streamsApps.put(running.applicationId(), running.streams());
            log.info("Streams app {} running", running.applicationId());
        }
    }

    private String startBroker(final PlaneSettings settings) {
        final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.persistent(settings.dataDir().resolve("kafka"),
                settings.kafkaPort(), settings.controllerPort(), Map.of());
        started.push(broker);
        broker.start(BROKER_START_TIMEOUT);
        return broker.bootstrapServers();
    }

    private String startRegistry(final PlaneSettings settings, final String bootstrap) {
        try {
            final SchemaRegistryServer registry = SchemaRegistryServer.start(bootstrap,
                    SchemaRegistryServer.DEFAULT_TOPIC, settings.host(), settings.registryPort());
            started.push(registry);
            return registry.url();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start the schema registry on " + settings.host() + ":"
                    + settings.registryPort() + " (" + e.getMessage() + "; is the port in use?)", e);
        }
    }

    /** Creates the catalogue's missing topics (idempotent); returns the names created now. */
    public static List<String> ensureCatalogue(final String bootstrap, final short replicationFactor) {
        try (Admin admin = Admin.create(KafkaClientSettings.fromEnvironment().clientProperties(bootstrap))) {
            return new TopicBootstrap(admin, replicationFactor).ensure(TopicCatalog.all());
        }
    }

    /** Registers every catalogue value schema up front, so any consumer can decode from the first record. */
    public static void registerValueSchemas(final String registryUrl) {
        final SchemaRegistryClient registry = new HttpSchemaRegistryClient(registryUrl);
        for (final Topic<?> topic : TopicCatalog.all()) {
            registry.register(ConfluentWireFormat.valueSubject(topic.name()), topic.valueSchema());
        }
        log.info("Registered {} value schemas at {}", TopicCatalog.all().size(), registry.baseUrl());
    }

    /** Starts the gRPC gateway over this plane. */
    public Gateway startGateway(final GatewaySettings settings) {
        final Gateway gateway = Gateway.start(endpoints, settings, java.time.Clock.systemUTC());
        started.push(gateway);
        return gateway;
    }

    /** Starts a component that depends on the plane (e.g. the local connector) and stops it with the plane. */
    public <C extends AutoCloseable> Optional<C> startLocal(final java.util.function.Supplier<Optional<C>> start) {
        final Optional<C> component = start.get();
        component.ifPresent(started::push);
        return component;
    }

    /** Serves this process's Prometheus metrics (JVM and every streams app); stopped with the plane. */
    public dev.arcturus.launcher.metrics.MetricsEndpoint startMetrics(final String host, final int port) {
        final var metrics = dev.arcturus.launcher.metrics.MetricsEndpoint.serve(host, port, streamsApps);
        started.push(metrics);
        return metrics;
    }

    /**
     * Starts the database sinks whose targets are configured; they follow the catalogue topics from the beginning,
     * so starting one later (or against a fresh database) backfills it.
     */
    public List<String> startSinks(final Optional<MySqlSinkConfig> mysql, final Optional<MongoSinkConfig> mongo) {
        final List<String> running = new ArrayList<>();
        mysql.ifPresent(config -> {
            started.push(MySqlSink.start(SinkSettings.defaults(MySqlSink.DEFAULT_NAME, endpoints), config,
                    MySqlTopics.catalogue()));
            running.add("MySQL (" + config.jdbcUrl() + ")");
        });
        mongo.ifPresent(config -> {
            started.push(MongoSink.start(SinkSettings.defaults(MongoSink.DEFAULT_NAME, endpoints), config,
                    MongoTopics.catalogue()));
            running.add("MongoDB (" + config + ")");
        });
        return running;
    }

    /** The streams apps this process runs, by application id. */
    public Map<String, KafkaStreams> streamsApps() {
        return Map.copyOf(streamsApps);
    }

    public PlaneEndpoints endpoints() {
        return endpoints;
    }

    public List<String> createdTopics() {
        return createdTopics;
    }

    public boolean isKafkaEmbedded() {
        return embeddedKafka;
    }

    public boolean isRegistryEmbedded() {
        return embeddedRegistry;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            final AutoCloseable component = started.pop();
            try {
                component.close();
            } catch (final Exception e) {
                log.warn("Stopping {} failed", component.getClass().getSimpleName(), e);
            }
        }
    }
}
