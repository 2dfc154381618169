package dev.arcturus.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.serde.ConfluentWireFormat;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicBootstrap;
import dev.arcturus.topics.TopicCatalog;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Records of every catalogue topic go through the real serde, registry and broker and come back intact. */
@ExtendWith(SharedPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogueRoundTripTest {
    private final SharedPlane plane;

    CatalogueRoundTripTest(final SharedPlane plane) {
        this.plane = plane;
    }

    @BeforeAll
    void createTheCatalogue() {
        plane.ensureTopics(TopicCatalog.all());
    }

    static List<Topic<?>> catalogue() {
        return TopicCatalog.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    <V extends SpecificRecord> void shouldProduceAndConsumeBackASampleRecord(final Topic<V> topic) {
        final SchemaRegistryClient registry = plane.registryClient();
        final Serde<V> serde = topic.valueSerde(registry);
        final V sent = SampleRecords.sample(topic.valueClass(), topic.name().hashCode());
        final String key = SharedPlane.uniqueName("key");

        produce(topic, key, sent, serde);
        final byte[] raw = consumeRaw(topic.name(), key);
        final V received = serde.deserializer().deserialize(topic.name(), raw);

        assertThat(received).isEqualTo(sent);
        final ByteBuffer header = ByteBuffer.wrap(raw);
        final int id = ConfluentWireFormat.readHeader(header);
        assertThat(raw[0]).as("Confluent magic byte").isZero();
        assertThat(id).as("schema id registered under <topic>-value")
                .isEqualTo(registry.version(topic.name() + "-value", "latest").id());
        assertThat(registry.schemaById(id)).isEqualTo(topic.valueSchema());
    }

    @Test
    void shouldCreateTheCatalogueIdempotentlyWithItsPartitionsAndConfigs() throws Exception {
        assertThat(new TopicBootstrap(plane.admin(), (short) 1).ensure(TopicCatalog.all()))
                .as("second bootstrap creates nothing").isEmpty();

        final TopicDescription liveness = plane.admin().describeTopics(Set.of(TopicCatalog.NODE_LIVENESS.name()))
                .allTopicNames().get().get(TopicCatalog.NODE_LIVENESS.name());
        assertThat(liveness.partitions()).hasSize(TopicCatalog.ENTITY_PARTITIONS);
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TopicCatalog.NODE_LIVENESS.name());
        assertThat(plane.admin().describeConfigs(Set.of(resource)).all().get().get(resource)
                .get("cleanup.policy").value()).isEqualTo("compact");
    }

    @Test
    void shouldRefuseToProduceToATopicOutsideTheCatalogue() throws Exception {
        // auto.create.topics.enable=false: a typo in a topic name fails instead of silently creating a topic.
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000),
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("fleet.node.hartbeat.v1", new byte[1])).get())
                    .hasMessageContaining("not present in metadata");
        }
        assertThat(plane.admin().listTopics().names().get()).doesNotContain("fleet.node.hartbeat.v1");
    }

    @Test
    void shouldReportUndecodableBytesAsSerializationErrors() {
        final Serde<dev.arcturus.avro.Heartbeat> serde = TopicCatalog.NODE_HEARTBEAT.valueSerde(plane.registryClient());
        final String topic = TopicCatalog.NODE_HEARTBEAT.name();

        assertThatThrownBy(() -> serde.deserializer().deserialize(topic, new byte[] {0, 0x7f, 0, 0, 1, 2}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown writer schema id");
        assertThatThrownBy(() -> serde.deserializer().deserialize(topic, "{\"json\":true}".getBytes()))
                .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte");
    }

    private <V extends SpecificRecord> void produce(final Topic<V> topic, final String key, final V value,
                                                    final Serde<V> serde) {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers()),
                topic.keySerde().serializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        } catch (final Exception e) {
            throw new AssertionError("produce to " + topic.name() + " failed", e);
        }
    }

    private byte[] consumeRaw(final String topic, final String key) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, SharedPlane.uniqueName("round-trip"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new org.apache.kafka.common.serialization.StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            final List<byte[]> found = new ArrayList<>();
            while (found.isEmpty() && System.nanoTime() < deadline) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        found.add(record.value());
                    }
                }
            }
            assertThat(found).as("record %s on %s", key, topic).hasSize(1);
            return found.get(0);
        }
    }
}
