package dev.arcturus.tools.bench;

import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.bus.BusBootstrap;
import dev.arcturus.bus.BusCredentials;
import dev.arcturus.bus.BusPrincipal;
import dev.arcturus.config.KafkaClientSettings;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.kafka.embedded.EmbeddedKafkaBroker;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.registry.server.RegistryAccess;
import dev.arcturus.registry.server.SchemaRegistryServer;
import dev.arcturus.tools.fleet.SyntheticFleet;
import dev.arcturus.topics.TopicBootstrap;
import dev.arcturus.topics.TopicCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What every benchmark runs on: a throwaway in-process broker with the topic catalogue and the embedded registry —
 * secured as {@code up} runs it (SASL, ACLs, each component its own principal) unless asked for plaintext, so a
 * benchmark measures the plane users run and can measure what security costs.
 */
final class BenchPlane implements AutoCloseable {
    private static final String SOURCE = "bench";

    private final EmbeddedKafkaBroker broker;
    private final Admin admin;
    private final SchemaRegistryServer registryServer;
    private final Path stateDir;
    private final Optional<BusCredentials> credentials;

    private BenchPlane(final EmbeddedKafkaBroker broker, final Admin admin, final SchemaRegistryServer registryServer,
                       final Path stateDir, final Optional<BusCredentials> credentials) {
        this.broker = broker;
        this.admin = admin;
        this.registryServer = registryServer;
        this.stateDir = stateDir;
        this.credentials = credentials;
    }

    static BenchPlane start(final boolean secured) throws IOException {
        final Optional<BusCredentials> credentials = secured ? Optional.of(BusCredentials.generate())
                : Optional.empty();
        final KafkaClientSettings adminSettings = credentials.map(c -> c.clientSettings(BusPrincipal.ADMIN))
                .orElse(KafkaClientSettings.none());
        final EmbeddedKafkaBroker broker = (secured ? EmbeddedKafkaBroker.throwaway().secured(
                new EmbeddedKafkaBroker.SuperUser(BusPrincipal.ADMIN.name(), credentials.get().password(
                        BusPrincipal.ADMIN))) : EmbeddedKafkaBroker.throwaway()).start(Duration.ofSeconds(120));
        final Admin admin = Admin.create(adminSettings.clientProperties(broker.bootstrapServers()));
        new TopicBootstrap(admin, (short) 1).ensure(TopicCatalog.all());
        credentials.ifPresent(c -> BusBootstrap.apply(admin, broker.bootstrapServers(), c, Duration.ofSeconds(60)));
        final PlaneEndpoints kafka = new PlaneEndpoints(broker.bootstrapServers(), "http://registry.invalid",
                credentials.map(c -> c.clientSettings(BusPrincipal.REGISTRY)).orElse(KafkaClientSettings.none()));
        final SchemaRegistryServer registry = SchemaRegistryServer.start(kafka,
                credentials.map(c -> RegistryAccess.signedIn(c, false)).orElseGet(RegistryAccess::open),
                SchemaRegistryServer.DEFAULT_TOPIC, "127.0.0.1", 0);
        return new BenchPlane(broker, admin, registry, Files.createTempDirectory("arcturus-bench"), credentials);
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    /** The plane as the benchmark's own driver (the admin) reaches it. */
    PlaneEndpoints endpoints() {
        return new PlaneEndpoints(bootstrap(), registryServer.url(), credentials
                .map(c -> c.clientSettings(BusPrincipal.ADMIN)).orElse(KafkaClientSettings.none()));
    }

    /** The plane as {@code principal} (an app, the gateway) reaches it. */
    PlaneEndpoints endpointsOf(final BusPrincipal principal) {
        return credentials.map(c -> endpoints().as(c.clientSettings(principal))).orElseGet(this::endpoints);
    }

    /** A client configuration of the benchmark's driver: the admin's settings and {@code own}. */
    Map<String, Object> client(final Map<String, ?> own) {
        return endpoints().kafkaClient().with(bootstrap(), own);
    }

    boolean secured() {
        return credentials.isPresent();
    }

    SchemaRegistryClient registry() {
        return endpoints().registryClient();
    }

    Admin admin() {
        return admin;
    }

    Path stateDir() {
        return stateDir;
    }

    /**
     * Registers nodes {@code node-0} … {@code node-<count-1>} (regions R0–R9) plus {@code extra} ones by id, straight
     * on the registration topic, and returns once all are acknowledged.
     */
    void registerNodes(final int count, final String... extra) {
        try (KafkaProducer<String, NodeRegistration> producer = new KafkaProducer<>(client(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 20)),
                new StringSerializer(), TopicCatalog.NODE_REGISTRATION.valueSerde(registry()).serializer())) {
            for (final String id : extra) {
                producer.send(new ProducerRecord<>(TopicCatalog.NODE_REGISTRATION.name(), id,
                        SyntheticFleet.registration(SOURCE, id, "R0")));
            }
            SyntheticFleet.register(producer, SOURCE, count);
        }
    }

    @Override
    public void close() {
        registryServer.close();
        admin.close();
        broker.close();
        try (var paths = Files.walk(stateDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot clean " + stateDir, e);
        }
    }
}
