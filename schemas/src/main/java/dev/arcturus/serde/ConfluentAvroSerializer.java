package dev.arcturus.serde;

import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a generated Avro record in the Confluent wire format. The writer schema is registered under
 * {@code <topic>-value} on first use (or, with auto-registration off, looked up there) and its id cached.
 */
public final class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    // One serializer may be shared by several stream threads, so the reusable buffer and encoder are per thread.
    private static final ThreadLocal<ByteArrayOutputStream> BUFFERS =
            ThreadLocal.withInitial(() -> new ByteArrayOutputStream(1024));
    private static final ThreadLocal<BinaryEncoder> ENCODERS = new ThreadLocal<>();

    private final SchemaRegistryClient registry;
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final boolean autoRegister;

    public ConfluentAvroSerializer(final SchemaRegistryClient registry, final Schema schema, final boolean autoRegister) {
        GeneratedClassTrust.ensureInstalled();
        this.registry = registry;
        this.schema = schema;
        this.writer = new SpecificDatumWriter<>(schema);
        this.autoRegister = autoRegister;
    }

    @Override
    public byte[] serialize(final String topic, final T record) {
        if (record == null) {
            return null; // a tombstone stays a tombstone
        }
        final int schemaId = schemaId(topic);
        final ByteArrayOutputStream out = BUFFERS.get();
        out.reset();
        out.write(ConfluentWireFormat.MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
        try {
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, ENCODERS.get());
            ENCODERS.set(encoder);
            writer.write(record, encoder);
            encoder.flush();
        } catch (final IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + schema.getFullName() + " for topic " + topic, e);
        }
        return out.toByteArray();
    }

    private int schemaId(final String topic) {
        final String subject = ConfluentWireFormat.valueSubject(topic);
        try {
            if (autoRegister) {
                return registry.register(subject, schema);
            }
            return registry.lookup(subject, schema)
                    .orElseThrow(() -> new SerializationException("schema " + schema.getFullName()
                            + " is not registered under " + subject + " and auto-registration is off"))
                    .id();
        } catch (final SchemaRegistryException e) {
            throw new SerializationException("schema registry refused " + schema.getFullName() + " under " + subject, e);
        }
    }
}
