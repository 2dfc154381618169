package dev.arcturus.testing;

import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.serde.ConfluentAvroSerializer;
import dev.arcturus.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes records to any topic of the shared plane in the Confluent wire format, as the plane's producers do, plus
 * raw bytes for poison-pill tests. {@link #flush()} waits until everything sent is acknowledged.
 */
public final class TopicProducer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final SchemaRegistryClient registry;
    private final Map<String, ConfluentAvroSerializer<SpecificRecord>> serializers = new HashMap<>();

    public TopicProducer(final SharedPlane plane) {
        this.registry = plane.registryClient();
        // Tests write to topics created moments earlier; the broker may answer NOT_LEADER while it takes leadership,
        // and an idempotent producer retrying then can wedge on OUT_OF_ORDER_SEQUENCE_NUMBER. One request in flight
        // keeps retries ordered without idempotence.
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1, ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends a value, or a tombstone when {@code value} is null. */
    public <V extends SpecificRecord> void send(final Topic<V> topic, final String key, final V value) {
        final byte[] bytes = value == null ? null : serializers.computeIfAbsent(topic.name(),
                name -> new ConfluentAvroSerializer<>(registry, topic.valueSchema(), true)).serialize(topic.name(), value);
        sendRaw(topic.name(), key, bytes);
    }

    public void sendRaw(final String topic, final String key, final byte[] value) {
        producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
    }

    public void flush() {
        producer.flush();
    }

    /** Sends and waits for the acknowledgement. */
    public void sendRawSync(final String topic, final String key, final byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value))
                    .get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("send to " + topic + " failed", e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
