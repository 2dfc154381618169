package dev.arcturus.topics;

import dev.arcturus.registry.client.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Source deserializers that refuse records which decode but make no sense ({@link InputChecks}): the refusal is a
 * {@link SerializationException}, so the app's dead-letter handler writes the record to {@code <app>.dlq} with the
 * reason and carries on, exactly as for an undecodable record. Processors therefore only ever see sane input.
 */
public final class CheckedInputs {
    private CheckedInputs() {
    }

    public static <V extends SpecificRecord> Deserializer<V> deserializer(final Topic<V> topic,
                                                                        final SchemaRegistryClient registry) {
        final Deserializer<V> decoder = topic.valueSerde(registry).deserializer();
        return (sourceTopic, data) -> {
            final V value = decoder.deserialize(sourceTopic, data);
            if (value != null) {
                InputChecks.problem(value).ifPresent(problem -> {
                    throw new SerializationException("invalid " + value.getSchema().getName() + " on " + sourceTopic
                            + ": " + problem);
                });
            }
            return value;
        };
    }
}
