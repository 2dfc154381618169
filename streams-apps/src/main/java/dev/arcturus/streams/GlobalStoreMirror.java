package dev.arcturus.streams;

import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.topics.CheckedInputs;
import dev.arcturus.topics.Topic;
import java.util.function.BiConsumer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The update processor of a global store that mirrors a compacted topic: a value is put, a tombstone deletes, and
 * {@code onChange} sees each key and new value (null for a tombstone), e.g. to tell a ticking processor what moved.
 *
 * <p>It takes the topic's raw bytes and decodes them itself ({@link CheckedInputs}), skipping a record that does not
 * decode or makes no sense with a log line naming its coordinates. Decoding in the global consumer instead would let
 * one bad record stop the app: the global thread cannot skip or dead-letter (Kafka 4.3's dead-letter handling
 * fails there with a ClassCastException) and the client goes to ERROR — which the bad-input scenario showed for
 * placement. The stores stay typed; restoration re-runs this processor (KAFKA-7663), so it is checked too. The same
 * records are dead-lettered by the apps that read the topic as a task source.
 */
public final class GlobalStoreMirror<V> implements Processor<String, byte[], Void, Void> {
    private static final Logger log = LoggerFactory.getLogger(GlobalStoreMirror.class);

    private final String storeName;
    private final Deserializer<V> decoder;
    private final BiConsumer<String, V> onChange;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, V> store;

    private GlobalStoreMirror(final String storeName, final Deserializer<V> decoder,
                              final BiConsumer<String, V> onChange) {
        this.storeName = storeName;
        this.decoder = decoder;
        this.onChange = onChange;
    }

    /** Adds a global store {@code store} mirroring {@code topic}, with source and processor named after {@code name}. */
    public static <V extends SpecificRecord> void add(final Topology topology, final String name, final String store,
                                                      final Topic<V> topic, final SchemaRegistryClient registry,
                                                      final BiConsumer<String, V> onChange) {
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
                        topic.valueSerde(registry)).withLoggingDisabled(),
                name + "-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topic.name(),
                name + "-updater", () -> new GlobalStoreMirror<>(store, CheckedInputs.deserializer(topic, registry),
                        onChange));
    }

    /** As {@link #add(Topology, String, String, Topic, SchemaRegistryClient, BiConsumer)}, with no one to tell. */
    public static <V extends SpecificRecord> void add(final Topology topology, final String name, final String store,
                                                      final Topic<V> topic, final SchemaRegistryClient registry) {
        add(topology, name, store, topic, registry, (key, value) -> { });
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        this.context = context;
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(final Record<String, byte[]> record) {
        final V value;
        try {
            value = record.value() == null ? null : decoder.deserialize(topic(), record.headers(), record.value());
        } catch (final KafkaException | AvroRuntimeException e) {
            log.warn("Global store {}: skipping {} (key {}): {}", storeName, coordinates(), record.key(),
                    e.getMessage());
            return;
        }
        if (value == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), value);
        }
        onChange.accept(record.key(), value);
    }

    private String topic() {
        return context.recordMetadata().map(m -> m.topic()).orElse(null);
    }

    private String coordinates() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
    }
}
