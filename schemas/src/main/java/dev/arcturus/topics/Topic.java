package dev.arcturus.topics;

import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.serde.AvroSerdes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A typed topic descriptor: name, key meaning, value type and storage settings in one immutable object, so a
 * topic can never be produced or consumed with the wrong serde. Keys are always UTF-8 strings (entity ids).
 *
 * @param name       topic name, {@code <domain>.<entity>.<event-or-state>.v<major>}
 * @param key        what the key is, e.g. "nodeId" (documentation, shown in the catalogue)
 * @param valueClass generated Avro class of the values
 * @param partitions partition count; topics keyed by the same entity share it so they stay co-partitioned
 * @param cleanup    compact for current state, delete for events
 * @param retention  retention for DELETE topics; ignored for compacted ones
 * @param description one line on what flows through the topic
 */
public record Topic<V extends SpecificRecord>(String name, String key, Class<V> valueClass, int partitions,
                                              CleanupPolicy cleanup, Duration retention, String description) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(valueClass, "valueClass");
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, was " + partitions);
        }
    }

    public static <V extends SpecificRecord> Topic<V> state(final String name, final String key,
                                                            final Class<V> valueClass, final int partitions,
                                                            final String description) {
        return new Topic<>(name, key, valueClass, partitions, CleanupPolicy.COMPACT, null, description);
    }

    public static <V extends SpecificRecord> Topic<V> events(final String name, final String key,
                                                             final Class<V> valueClass, final int partitions,
                                                             final Duration retention, final String description) {
        return new Topic<>(name, key, valueClass, partitions, CleanupPolicy.DELETE,
                Objects.requireNonNull(retention, "retention"), description);
    }

    /** The same descriptor under another name, e.g. a test's private copy of a catalogue topic. */
    public Topic<V> withName(final String otherName) {
        return new Topic<>(otherName, key, valueClass, partitions, cleanup, retention, description);
    }

    /**
     * The partition a String key lands in under Kafka's default partitioner (murmur2 of its UTF-8 bytes), i.e. which
     * task of a Streams app reading this topic owns the key.
     */
    public int partitionOf(final String key) {
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
    }

    public Schema valueSchema() {
        return SpecificData.get().getSchema(valueClass);
    }

    public Serde<String> keySerde() {
        return Serdes.String();
    }

    public Serde<V> valueSerde(final SchemaRegistryClient registry) {
        return AvroSerdes.forClass(valueClass, registry);
    }

    /** Broker-side topic configs this descriptor implies. */
    public Map<String, String> configs() {
        final Map<String, String> configs = new LinkedHashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanup.kafkaName());
        if (cleanup == CleanupPolicy.DELETE) {
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        } else {
            // Let compaction run within minutes rather than after a 7-day segment roll, so dev and test data stay small.
            configs.put(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofMinutes(10).toMillis()));
            configs.put(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0");
        }
        return configs;
    }
}
