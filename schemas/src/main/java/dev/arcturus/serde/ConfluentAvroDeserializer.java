package dev.arcturus.serde;

import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format Avro into a generated record class, resolving the writer schema (fetched by id,
 * cached) against the reader's own schema, so records written with older or newer compatible schemas decode.
 * Anything undecodable raises {@link SerializationException}, which Streams apps route to their dead-letter topic.
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

    public ConfluentAvroDeserializer(final SchemaRegistryClient registry, final Schema readerSchema) {
        GeneratedClassTrust.ensureInstalled();
        this.registry = registry;
        this.readerSchema = readerSchema;
    }

    @Override
    public T deserialize(final String topic, final byte[] data) {
        if (data == null) {
            return null;
        }
        final ByteBuffer buffer = ByteBuffer.wrap(data);
        final int writerId = ConfluentWireFormat.readHeader(buffer);
        final SpecificDatumReader<T> reader = readerFor(writerId, topic);
        try {
            final BinaryDecoder decoder = DecoderFactory.get()
                    .binaryDecoder(data, buffer.position(), buffer.remaining(), null);
            return reader.read(null, decoder);
        } catch (final IOException | RuntimeException e) {
            throw new SerializationException("cannot decode " + readerSchema.getFullName() + " from topic " + topic
                    + " written with schema id " + writerId, e);
        }
    }

    private SpecificDatumReader<T> readerFor(final int writerId, final String topic) {
        final SpecificDatumReader<T> known = readersByWriterId.get(writerId);
        if (known != null) {
            return known;
        }
        final Schema writerSchema;
        try {
            writerSchema = registry.schemaById(writerId);
        } catch (final SchemaRegistryException e) {
            throw new SerializationException("unknown writer schema id " + writerId + " on topic " + topic, e);
        }
        final SpecificDatumReader<T> reader = new SpecificDatumReader<>(writerSchema, readerSchema);
        readersByWriterId.put(writerId, reader);
        return reader;
    }
}
