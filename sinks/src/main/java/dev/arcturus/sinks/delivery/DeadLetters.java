package dev.arcturus.sinks.delivery;

import dev.arcturus.config.PlaneEndpoints;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a record the sink cannot store to the sink's dead-letter topic: the original key and value bytes, with
 * headers saying where it came from and why it was rejected. Sends are acknowledged before the offset is committed.
 */
final class DeadLetters implements AutoCloseable {
    static final String REASON_HEADER = "arcturus.dlq.reason";
    static final String SOURCE_TOPIC_HEADER = "arcturus.dlq.source.topic";
    static final String SOURCE_PARTITION_HEADER = "arcturus.dlq.source.partition";
    static final String SOURCE_OFFSET_HEADER = "arcturus.dlq.source.offset";
    private static final int MAX_REASON_CHARS = 2_000;

    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;

    DeadLetters(final PlaneEndpoints endpoints, final String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(endpoints.kafkaClient().with(endpoints.kafkaBootstrap(), Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    String topic() {
        return topic;
    }

    void send(final ConsumerRecord<byte[], byte[]> source, final String reason) {
        final ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic, source.key(), source.value());
        final Headers headers = letter.headers();
        headers.add(REASON_HEADER, utf8(reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) : reason));
        headers.add(SOURCE_TOPIC_HEADER, utf8(source.topic()));
        headers.add(SOURCE_PARTITION_HEADER, utf8(Integer.toString(source.partition())));
        headers.add(SOURCE_OFFSET_HEADER, utf8(Long.toString(source.offset())));
        try {
            producer.send(letter).get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted dead-lettering " + source.topic() + "@" + source.offset(), e);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("cannot dead-letter " + source.topic() + "-" + source.partition() + "@"
                    + source.offset() + " to " + topic, e.getCause());
        }
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
