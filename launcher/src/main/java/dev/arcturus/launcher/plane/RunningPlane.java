package dev.arcturus.launcher.plane;

import dev.arcturus.apps.PlaneApps;
import dev.arcturus.bus.BusBootstrap;
import dev.arcturus.bus.BusCredentials;
import dev.arcturus.bus.BusPrincipal;
import dev.arcturus.config.KafkaClientSettings;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.GatewaySettings;
import dev.arcturus.kafka.embedded.EmbeddedKafkaBroker;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.registry.server.RegistryAccess;
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
    private static final Duration BUS_BOOTSTRAP_TIMEOUT = Duration.ofSeconds(60);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    /** The streams apps of this process by application id, for metrics. */
    private final Map<String, KafkaStreams> streamsApps = new java.util.LinkedHashMap<>();
    /** The plane as its admin reaches it; each component gets its own principal ({@link #endpointsOf}). */
    private PlaneEndpoints endpoints;
    /** Every principal's password when this process runs the embedded, secured broker; empty for an external one. */
    private Optional<BusCredentials> credentials = Optional.empty();
    private List<String> createdTopics = List.of();
    private boolean embeddedKafka;
    private boolean embeddedRegistry;

    private RunningPlane() {
    }

    public static RunningPlane start(final PlaneSettings settings) {
        return start(settings, KafkaClientSettings.fromEnvironment());
    }

    /**
     * Starts the plane; {@code externalClient} signs every component in to an external cluster (the embedded broker
     * gives each component its own principal instead).
     */
    public static RunningPlane start(final PlaneSettings settings, final KafkaClientSettings externalClient) {
        final RunningPlane plane = new RunningPlane();
        try {
            plane.startAll(settings, externalClient);
            return plane;
        } catch (final RuntimeException e) {
            plane.close();
            throw e;
        }
    }

    private void startAll(final PlaneSettings settings, final KafkaClientSettings externalClient) {
        embeddedKafka = settings.externalKafka().isEmpty();
        if (embeddedKafka) {
            // Authenticated, authorized Kafka by default: each component signs in as itself (docs/security.md).
            credentials = Optional.of(BusCredentials.loadOrCreate(credentialsDir(settings)));
        }
        final KafkaClientSettings admin = credentials.map(c -> c.clientSettings(BusPrincipal.ADMIN))
                .orElse(externalClient);
        final String bootstrap = settings.externalKafka().orElseGet(() -> startBroker(settings));
        createdTopics = ensureCatalogue(bootstrap, admin, settings.replicationFactor());
        credentials.ifPresent(c -> {
            try (Admin client = Admin.create(admin.clientProperties(bootstrap))) {
                BusBootstrap.apply(client, bootstrap, c, BUS_BOOTSTRAP_TIMEOUT);
            }
        });
        final PlaneEndpoints kafka = new PlaneEndpoints(bootstrap, "http://registry.invalid", admin);
        final String registryUrl = settings.externalRegistry().orElseGet(() -> startRegistry(settings, kafka));
        embeddedRegistry = settings.externalRegistry().isEmpty();
        endpoints = new PlaneEndpoints(bootstrap, registryUrl, admin);
        registerValueSchemas(endpoints);
        startApps(settings);
    }

    /** Where {@code up} keeps each principal's client properties: {@code .arcturus/kafka-clients/}. */
    public static java.nio.file.Path credentialsDir(final PlaneSettings settings) {
        return settings.dataDir().resolveSibling("kafka-clients");
    }

    /** Where {@code arcturus bus grant-producer} keeps producing clients' logins: {@code .arcturus/kafka-clients/producers/}. */
    public static java.nio.file.Path producersDir(final PlaneSettings settings) {
        return credentialsDir(settings).resolve("producers");
    }

    /** The plane as {@code principal} reaches it (the admin's endpoints when the cluster is external). */
    public PlaneEndpoints endpointsOf(final BusPrincipal principal) {
        return credentials.map(c -> endpoints.as(c.clientSettings(principal))).orElse(endpoints);
    }

    /** The streams apps, each in this process; in production each runs (and scales) on its own. */
    private void startApps(final PlaneSettings settings) {
        final java.nio.file.Path state = settings.dataDir().resolve("streams");
        for (final StreamsAppKind app : PlaneApps.all()) {
            final StreamsAppKind.Running running = app.start(endpointsOf(BusPrincipal.named(app.applicationId())),
                    state, "local", APP_START_TIMEOUT);
            started.push(running.app());
            streamsApps.put(running.applicationId(), running.streams());
            log.info("Streams app {} running", running.applicationId());
        }
    }

    private String startBroker(final PlaneSettings settings) {
        final BusCredentials bus = credentials.orElseThrow();
        final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.persistent(settings.dataDir().resolve("kafka"),
                settings.kafkaPort(), settings.controllerPort(), Map.of()).secured(new EmbeddedKafkaBroker.SuperUser(
                BusPrincipal.ADMIN.name(), bus.password(BusPrincipal.ADMIN)));
        started.push(broker);
        broker.start(BROKER_START_TIMEOUT);
        return broker.bootstrapServers();
    }

    private String startRegistry(final PlaneSettings settings, final PlaneEndpoints kafka) {
        try {
            final RegistryAccess access = credentials.map(c -> RegistryAccess.signedIn(c, settings.anonymousRegistryReads(),
                    Optional.of(producersDir(settings))))
                    .orElseGet(RegistryAccess::open);
            final PlaneEndpoints asRegistry = credentials.map(c -> kafka.as(c.clientSettings(BusPrincipal.REGISTRY)))
                    .orElse(kafka);
            final SchemaRegistryServer registry = SchemaRegistryServer.start(asRegistry, access,
                    SchemaRegistryServer.DEFAULT_TOPIC, settings.host(), settings.registryPort());
            started.push(registry);
            return registry.url();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start the schema registry on " + settings.host() + ":"
                    + settings.registryPort() + " (" + e.getMessage() + "; is the port in use?)", e);
        }
    }

    /** Creates the catalogue's missing topics (idempotent); returns the names created now. */
    public static List<String> ensureCatalogue(final String bootstrap, final KafkaClientSettings admin,
                                               final short replicationFactor) {
        try (Admin client = Admin.create(admin.clientProperties(bootstrap))) {
            return new TopicBootstrap(client, replicationFactor).ensure(TopicCatalog.all());
        }
    }

    /** Registers every catalogue value schema up front, so any consumer can decode from the first record. */
    public static void registerValueSchemas(final PlaneEndpoints plane) {
        final SchemaRegistryClient registry = plane.registryClient();
        for (final Topic<?> topic : TopicCatalog.all()) {
            registry.register(ConfluentWireFormat.valueSubject(topic.name()), topic.valueSchema());
        }
        log.info("Registered {} value schemas at {}", TopicCatalog.all().size(), registry.baseUrl());
    }

    /** Starts the gRPC gateway over this plane. */
    public Gateway startGateway(final GatewaySettings settings) {
        final Gateway gateway = Gateway.start(endpointsOf(BusPrincipal.GATEWAY), settings,
                java.time.Clock.systemUTC());
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
            started.push(MySqlSink.start(SinkSettings.defaults(MySqlSink.DEFAULT_NAME,
                    endpointsOf(BusPrincipal.SINK_MYSQL)), config,
                    MySqlTopics.catalogue()));
            running.add("MySQL (" + config.jdbcUrl() + ")");
        });
        mongo.ifPresent(config -> {
            started.push(MongoSink.start(SinkSettings.defaults(MongoSink.DEFAULT_NAME,
                    endpointsOf(BusPrincipal.SINK_MONGO)), config,
                    MongoTopics.catalogue()));
            running.add("MongoDB (" + config + ")");
        });
        return running;
    }

    /** The streams apps this process runs, by application id. */
    public Map<String, KafkaStreams> streamsApps() {
        return Map.copyOf(streamsApps);
    }

    /** The plane as its admin (the embedded broker's super user) reaches it: for operators' tools and tests. */
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
