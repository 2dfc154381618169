package dev.arcturus.tools.bench;

import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.kafka.embedded.EmbeddedKafkaBroker;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** What every benchmark runs on: a throwaway in-process broker with the topic catalogue and the embedded registry. */
final class BenchPlane implements AutoCloseable {
    private static final String SOURCE = "bench";

    private final EmbeddedKafkaBroker broker;
    private final Admin admin;
    private final SchemaRegistryServer registryServer;
    private final Path stateDir;

    private BenchPlane(final EmbeddedKafkaBroker broker, final Admin admin, final SchemaRegistryServer registryServer,
                       final Path stateDir) {
        this.broker = broker;
        this.admin = admin;
        this.registryServer = registryServer;
        this.stateDir = stateDir;
    }

    static BenchPlane start() throws IOException {
        final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.throwaway().start(Duration.ofSeconds(120));
        final Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
        new TopicBootstrap(admin, (short) 1).ensure(TopicCatalog.all());
        final SchemaRegistryServer registry = SchemaRegistryServer.start(broker.bootstrapServers(),
                SchemaRegistryServer.DEFAULT_TOPIC, "127.0.0.1", 0);
        return new BenchPlane(broker, admin, registry, Files.createTempDirectory("arcturus-bench"));
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    PlaneEndpoints endpoints() {
        return new PlaneEndpoints(bootstrap(), registryServer.url());
    }

    SchemaRegistryClient registry() {
        return new HttpSchemaRegistryClient(registryServer.url());
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
        try (KafkaProducer<String, NodeRegistration> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(), ProducerConfig.LINGER_MS_CONFIG, 20),
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
