package dev.arcturus.tools.chaos;

import dev.arcturus.config.KafkaClientSettings;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.kafka.embedded.EmbeddedKafkaBroker;
import dev.arcturus.launcher.plane.RunningPlane;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.registry.server.SchemaRegistryServer;
import dev.arcturus.serde.AvroSerdes;
import dev.arcturus.topics.Topic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The plane a fault scenario breaks: its own in-process KRaft broker (data under a scratch directory), the embedded
 * registry, the topic catalogue and every value schema. Each scenario gets a fresh one, so default application ids
 * and group names never meet another scenario's.
 */
public final class ChaosPlane implements AutoCloseable {
    private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(120);

    private final Path dir;
    private final EmbeddedKafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final Admin admin;

    private ChaosPlane(final Path dir, final EmbeddedKafkaBroker broker, final SchemaRegistryServer registry,
                       final Admin admin) {
        this.dir = dir;
        this.broker = broker;
        this.registry = registry;
        this.admin = admin;
    }

    public static ChaosPlane start() {
        try {
            final Path dir = Files.createTempDirectory("arcturus-chaos-");
            final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.persistent(dir.resolve("kafka"), 0, 0, Map.of())
                    .start(BROKER_TIMEOUT);
            RunningPlane.ensureCatalogue(broker.bootstrapServers(), KafkaClientSettings.none(), (short) 1);
            final SchemaRegistryServer registry = SchemaRegistryServer.start(broker.bootstrapServers(),
                    SchemaRegistryServer.DEFAULT_TOPIC, "127.0.0.1", 0);
            RunningPlane.registerValueSchemas(new PlaneEndpoints(broker.bootstrapServers(), registry.url(),
                    KafkaClientSettings.none()));
            final Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()));
            return new ChaosPlane(dir, broker, registry, admin);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start the chaos plane", e);
        }
    }

    public PlaneEndpoints endpoints() {
        return new PlaneEndpoints(broker.bootstrapServers(), registry.url());
    }

    public String bootstrap() {
        return broker.bootstrapServers();
    }

    public SchemaRegistryClient registry() {
        return new HttpSchemaRegistryClient(registry.url());
    }

    public Admin admin() {
        return admin;
    }

    /** A scratch directory for this scenario's state (streams state, logs), deleted on close. */
    public Path scratch(final String name) {
        try {
            return Files.createDirectories(dir.resolve(name));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create " + name + " under " + dir, e);
        }
    }

    /** Follows a catalogue topic from its beginning, decoding its values (see {@link TopicTail}). */
    <V extends SpecificRecord> TopicTail<V> tail(final Topic<V> topic) {
        return new TopicTail<>(bootstrap(), topic.name(), topic.valueSerde(registry()).deserializer());
    }

    /**
     * An idempotent producer for any catalogue topic (each value written with its own schema) which rides out a
     * broker restart: it keeps retrying a record for up to two minutes, in order.
     */
    public KafkaProducer<String, SpecificRecord> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000),
                new StringSerializer(), AvroSerdes.anyRecord(registry()));
    }

    /** Stops the broker cleanly, keeps it down for {@code downFor}, and starts it again with the same data and ports. */
    void restartBroker(final Duration downFor) throws InterruptedException {
        broker.restart(downFor, BROKER_TIMEOUT);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        registry.close();
        broker.close();
        if (System.getenv("ARCTURUS_CHAOS_KEEP") != null) {
            System.out.println("kept the scenario's data and child logs in " + dir);
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (final IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
