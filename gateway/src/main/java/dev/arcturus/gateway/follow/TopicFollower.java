package dev.arcturus.gateway.follow;

import dev.arcturus.config.PlaneEndpoints;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the gateway follows topics (its view, the decision waiter, each watch): a consumer with no group,
 * {@code read_committed}, assigned every partition of its topics, positioned once before anything is sent so nothing
 * written afterwards is missed, then polled on the caller's thread until {@link #close()}.
 *
 * <p>It hands over raw bytes and its users decode with {@link #decode}: an undecodable record is logged with its
 * coordinates and skipped, instead of failing every poll at the same offset. A poll that fails (a broker going away)
 * is logged once per change of error and retried; a handler's exception ends {@link #run} and is the caller's to
 * report.
 */
public final class TopicFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String name;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private volatile boolean closing;

    private TopicFollower(final String name, final KafkaConsumer<byte[], byte[]> consumer,
                          final List<String> topics) {
        this.name = name;
        this.consumer = consumer;
        for (final String topic : topics) {
            for (final PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
    }

    /**
     * Opens a follower of {@code topics}; it has not moved yet (position with {@link #fromEnd}, {@link #fromBeginning}
     * or {@link #from}).
     *
     * @param name           for logs and the consumer's client id
     * @param fetchMaxWaitMs how long the broker may hold a fetch for more data: low for latency-bound followers
     */
    public static TopicFollower open(final String name, final PlaneEndpoints endpoints, final List<String> topics,
                                     final int fetchMaxWaitMs) {
        final Map<String, Object> config = endpoints.kafkaClient().with(endpoints.kafkaBootstrap(), Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchMaxWaitMs,
                // Replaying millions of records at start: large polls, so per-poll work is paid rarely.
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000));
        return new TopicFollower(name, new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()), topics);
    }

    /** Starts after everything written so far; returns the positions, fixed now. */
    public Map<TopicPartition, Long> fromEnd() {
        consumer.seekToEnd(partitions);
        return positions();
    }

    /** Starts from the first record of every partition; returns each partition's end as it is now. */
    public Map<TopicPartition, Long> fromBeginning() {
        consumer.seekToBeginning(partitions);
        positions(); // a seek is lazy: resolve it now, before the ends are read
        return consumer.endOffsets(partitions);
    }

    /** Starts at these offsets; partitions not named start from the beginning. Returns the positions, fixed now. */
    public Map<TopicPartition, Long> from(final Map<TopicPartition, Long> offsets) {
        consumer.seekToBeginning(partitions);
        offsets.forEach((partition, offset) -> {
            if (partitions.contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
        return positions();
    }

    /** Each partition's end as it is now. */
    public Map<TopicPartition, Long> endOffsets() {
        return consumer.endOffsets(partitions);
    }

    /** Each partition's first offset as it is now. */
    public Map<TopicPartition, Long> beginningOffsets() {
        return consumer.beginningOffsets(partitions);
    }

    /** The partitions of {@code topic} this follower reads. */
    public List<TopicPartition> partitionsOf(final String topic) {
        return partitions.stream().filter(p -> p.topic().equals(topic)).toList();
    }

    /**
     * Polls until {@link #close()}: each record to {@code onRecord}, then the positions reached to
     * {@code onProgress}.
     */
    public void run(final Consumer<ConsumerRecord<byte[], byte[]>> onRecord,
                    final Consumer<Map<TopicPartition, Long>> onProgress) {
        String lastError = null;
        try {
            while (!closing) {
                final Iterable<ConsumerRecord<byte[], byte[]>> records;
                try {
                    records = consumer.poll(POLL);
                    if (lastError != null) {
                        log.info("Follower {}: polling again", name);
                        lastError = null;
                    }
                } catch (final WakeupException e) {
                    throw e;
                } catch (final KafkaException e) {
                    if (!e.toString().equals(lastError)) {
                        log.warn("Follower {}: poll failed, retrying: {}", name, e.toString());
                        lastError = e.toString();
                    }
                    continue;
                }
                for (final ConsumerRecord<byte[], byte[]> record : records) {
                    onRecord.accept(record);
                }
                onProgress.accept(positions());
            }
        } catch (final WakeupException e) {
            if (!closing) {
                throw e;
            }
        } finally {
            consumer.close();
        }
    }

    /** Stops {@link #run} (from any thread); it closes the consumer on its way out. */
    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
    }

    /** The record's key as the plane writes keys (UTF-8 entity ids); null for a record without one. */
    public static String key(final ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    /**
     * The record's value decoded, or empty for a tombstone or an undecodable record (logged with its coordinates and
     * skipped: one bad record must not stop a follower).
     */
    public static <V> Optional<V> decode(final Deserializer<V> deserializer, final ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(deserializer.deserialize(record.topic(), record.value()));
        } catch (final KafkaException e) {
            log.warn("Skipping undecodable {}-{}@{} (key {}): {}", record.topic(), record.partition(),
                    record.offset(), key(record), e.getMessage());
            return Optional.empty();
        }
    }

    private Map<TopicPartition, Long> positions() {
        final Map<TopicPartition, Long> positions = new HashMap<>();
        for (final TopicPartition partition : partitions) {
            positions.put(partition, consumer.position(partition));
        }
        return positions;
    }
}
