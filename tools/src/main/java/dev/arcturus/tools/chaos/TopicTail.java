package dev.arcturus.tools.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows a topic from its beginning as a read_committed consumer would (so aborted transactions never count) and
 * keeps every record with the time it became visible: the scenario's witness of what the plane really wrote.
 */
final class TopicTail<V> implements AutoCloseable {
    /** One record as seen, with the wall-clock time this tail saw it. */
    record Seen<V>(String key, V value, long seenAtMillis, Map<String, String> headers) {
    }

    private final List<Seen<V>> seen = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    TopicTail(final String bootstrap, final String topic, final Deserializer<V> values) {
        this(new dev.arcturus.config.PlaneEndpoints(bootstrap, "http://unused.invalid",
                dev.arcturus.config.KafkaClientSettings.none()), topic, values);
    }

    /** A tail reading as {@code plane}'s principal (a secured plane's admin). */
    TopicTail(final dev.arcturus.config.PlaneEndpoints plane, final String topic, final Deserializer<V> values) {
        thread = new Thread(() -> follow(plane, topic, values), "chaos-tail-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void follow(final dev.arcturus.config.PlaneEndpoints plane, final String topic,
                        final Deserializer<V> values) {
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(plane.kafkaClient().with(plane.kafkaBootstrap(),
                Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")), new StringDeserializer(), values)) {
            // Assigned, not subscribed: no group, so a broker restart never rebalances it back to the beginning
            // (which would show every record twice); its position lives here.
            final List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                try {
                    for (final ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(50))) {
                        final Map<String, String> headers = new java.util.LinkedHashMap<>();
                        for (final Header header : record.headers()) {
                            headers.put(header.key(), header.value() == null ? null
                                    : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8));
                        }
                        seen.add(new Seen<>(record.key(), record.value(), System.currentTimeMillis(), headers));
                    }
                } catch (final KafkaException e) {
                    // A broker restart: the consumer reconnects on the next poll.
                    System.err.println("tail of " + topic + ": " + e.getMessage());
                }
            }
        }
    }

    /** The topic's partitions, once it exists (a dead-letter topic may be created after the tail starts). */
    private List<TopicPartition> partitions(final KafkaConsumer<String, V> consumer, final String topic) {
        while (running) {
            final var infos = consumer.partitionsFor(topic);
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            try {
                Thread.sleep(100);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return List.of();
    }

    List<Seen<V>> records() {
        return new ArrayList<>(seen);
    }

    /** When each entity (by {@code id} of its values; tombstones skipped) was first seen, in epoch millis. */
    Map<String, Long> firstSeenAt(final Function<V, CharSequence> id) {
        final Map<String, Long> first = new HashMap<>();
        seen.stream().filter(s -> s.value() != null)
                .forEach(s -> first.putIfAbsent(id.apply(s.value()).toString(), s.seenAtMillis()));
        return first;
    }

    /** Each key's latest value (tombstones skipped). */
    Map<String, V> latestByKey() {
        final Map<String, V> latest = new HashMap<>();
        seen.stream().filter(s -> s.value() != null).forEach(s -> latest.put(s.key(), s.value()));
        return latest;
    }

    /** Ids expected once each: how many never appeared, and how many copies beyond the first any id had. */
    record Tally(long missing, long repeated) {
    }

    /** Tallies the values by {@code id} (tombstones skipped) against the ids {@code expected}. */
    Tally tally(final Collection<String> expected, final Function<V, CharSequence> id) {
        final Map<String, Long> counts = seen.stream().filter(s -> s.value() != null)
                .collect(Collectors.groupingBy(s -> id.apply(s.value()).toString(), Collectors.counting()));
        return new Tally(expected.stream().filter(e -> !counts.containsKey(e)).count(),
                counts.values().stream().mapToLong(n -> n - 1).sum());
    }

    long count(final Predicate<Seen<V>> which) {
        return seen.stream().filter(which).count();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
