package dev.arcturus.topics;

import dev.arcturus.registry.client.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A topic's value serde typed as {@link SpecificRecord}, for processors fed by (or writing to) several topics of
 * different value types. The topic descriptor still decides the actual schema, so nothing can be mis-serialised;
 * reading applies the topic's input checks ({@link CheckedInputs}).
 */
public final class AnyRecordSerdes {
    private AnyRecordSerdes() {
    }

    @SuppressWarnings("unchecked")
    public static <V extends SpecificRecord> Deserializer<SpecificRecord> deserializer(final Topic<V> topic,
                                                                                     final SchemaRegistryClient registry) {
        return (Deserializer<SpecificRecord>) CheckedInputs.deserializer(topic, registry);
    }

    @SuppressWarnings("unchecked")
    public static <V extends SpecificRecord> Serializer<SpecificRecord> serializer(final Topic<V> topic,
                                                                                 final SchemaRegistryClient registry) {
        return (Serializer<SpecificRecord>) topic.valueSerde(registry).serializer();
    }
}
