package dev.arcturus.serde;

import dev.arcturus.registry.client.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

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
}
