package dev.arcturus.serde;

import dev.arcturus.registry.client.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Builds Confluent-wire-format serdes for generated Avro classes. */
public final class AvroSerdes {
    private AvroSerdes() {
    }

    public static <T extends SpecificRecord> Serde<T> forClass(final Class<T> recordClass,
                                                               final SchemaRegistryClient registry) {
        final Schema schema = SpecificData.get().getSchema(recordClass);
        return Serdes.serdeFrom(new ConfluentAvroSerializer<>(registry, schema, true),
                new ConfluentAvroDeserializer<>(registry, schema));
    }

    /**
     * One value serializer for a producer that writes to several topics: each topic gets its records' own schema
     * (registered on first use); a null value stays a tombstone.
     */
    public static Serializer<SpecificRecord> anyRecord(final SchemaRegistryClient registry) {
        final Map<String, ConfluentAvroSerializer<SpecificRecord>> byTopic = new ConcurrentHashMap<>();
        return (topic, record) -> record == null ? null : byTopic.computeIfAbsent(topic,
                t -> new ConfluentAvroSerializer<>(registry, record.getSchema(), true)).serialize(topic, record);
    }
}
