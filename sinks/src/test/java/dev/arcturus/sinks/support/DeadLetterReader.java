package dev.arcturus.sinks.support;

import dev.arcturus.testing.SharedPlane;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a sink's dead-letter topic and its headers. */
public final class DeadLetterReader {

    private DeadLetterReader() {
    }

    public static List<ConsumerRecord<byte[], byte[]>> read(final SharedPlane plane, final String topic,
                                                            final int expected) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, SharedPlane.uniqueName("dlq-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            final List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (letters.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(letters::add);
            }
            return letters;
        }
    }

    public static String reason(final ConsumerRecord<byte[], byte[]> letter) {
        return header(letter, "arcturus.dlq.reason");
    }

    public static String sourceTopic(final ConsumerRecord<byte[], byte[]> letter) {
        return header(letter, "arcturus.dlq.source.topic");
    }

    private static String header(final ConsumerRecord<byte[], byte[]> letter, final String name) {
        final Header header = letter.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
