package dev.arcturus.launcher;

import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the keys that appear on some topics (as {@code <short topic>:<key>}) until a condition holds. */
final class TopicReader {
    private TopicReader() {
    }

    static List<String> keys(final PlaneEndpoints endpoints, final List<Topic<?>> topics,
                             final Predicate<List<String>> enough, final Duration timeout) {
        final List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(endpoints.kafkaClient().with(
                endpoints.kafkaBootstrap(), Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(topics.stream().map(Topic::name).toList());
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (!enough.test(seen) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(shortName(r.topic()) + ":" + r.key()));
            }
        }
        return seen;
    }

    private static String shortName(final String topic) {
        return topic.contains("system-info") ? "system-info" : topic.contains("probe") ? "probe" : topic;
    }
}
