package dev.arcturus.admission;

import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.serde.AvroSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** Serdes for state stores: the same Confluent-framed Avro as topics, so changelogs are readable by any tool. */
final class AvroSerdesOf {
    private AvroSerdesOf() {
    }

    static <V extends SpecificRecord> Serde<V> store(final Class<V> valueClass, final SchemaRegistryClient registry) {
        return AvroSerdes.forClass(valueClass, registry);
    }
}
