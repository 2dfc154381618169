package dev.arcturus.gateway.state;

import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.serde.AvroSerdes;
import dev.arcturus.topics.Topic;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Every write of the gateway: one idempotent producer for all topics, each record serialised with its own topic's
 * schema. A write returns once the broker has it and, for topics the view follows, once the view has read it, so
 * the caller's next read shows it (read-your-writes).
 */
public final class PlaneWriter implements AutoCloseable {
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(15);
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PlaneWriter.class);

    private final KafkaProducer<String, SpecificRecord> producer;
    private final PlaneView view;

    public PlaneWriter(final PlaneEndpoints endpoints, final PlaneView view) {
        this.view = view;
        final Serializer<SpecificRecord> values = AvroSerdes.anyRecord(
                endpoints.registryClient());
        producer = new KafkaProducer<>(endpoints.kafkaClient().with(endpoints.kafkaBootstrap(), Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0)), new StringSerializer(), values);
    }

    /** Writes a value, or a tombstone when {@code value} is null, and waits until the view has read it. */
    public <V extends SpecificRecord> RecordMetadata write(final Topic<V> topic, final String key, final V value) {
        final RecordMetadata written = send(topic, key, value);
        if (view.follows(topic.name()) && !view.awaitPosition(new TopicPartition(written.topic(), written.partition()),
                written.offset() + 1, WRITE_TIMEOUT)) {
            throw Status.UNAVAILABLE.withDescription("the write to " + topic.name() + " is stored but not yet visible; "
                    + "retry the read").asRuntimeException();
        }
        return written;
    }

    /** Writes without waiting for the view (event topics). */
    public <V extends SpecificRecord> RecordMetadata send(final Topic<V> topic, final String key, final V value) {
        try {
            return producer.send(new ProducerRecord<>(topic.name(), key, value))
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted writing to " + topic.name()).asRuntimeException();
        } catch (final ExecutionException | TimeoutException e) {
            throw Status.UNAVAILABLE.withDescription("cannot write to " + topic.name() + ": " + e.getMessage())
                    .withCause(e).asRuntimeException();
        }
    }

    /** Sends without waiting at all; a failure is logged (used for the audit trail). */
    public <V extends SpecificRecord> void sendAsync(final Topic<V> topic, final String key, final V value) {
        producer.send(new ProducerRecord<>(topic.name(), key, value), (metadata, error) -> {
            if (error != null) {
                log.error("Could not write to {} (key {}): {}", topic.name(), key, error.toString());
            }
        });
    }

    @Override
    public void close() {
        producer.close();
    }
}
