package dev.arcturus.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: magic byte {@code 0}, the 4-byte big-endian schema id, then the Avro binary body
 * with no container header. Any Confluent-compatible consumer can read what we write, and the reverse.
 */
public final class ConfluentWireFormat {
    public static final byte MAGIC_BYTE = 0x0;
    public static final int HEADER_SIZE = 1 + Integer.BYTES;

    private ConfluentWireFormat() {
    }

    /** The subject a topic's value schemas are registered under (Confluent's TopicNameStrategy). */
    public static String valueSubject(final String topic) {
        return topic + "-value";
    }

    /** Reads and checks the header, leaving {@code buffer} positioned at the Avro body; returns the schema id. */
    public static int readHeader(final ByteBuffer buffer) {
        if (buffer.remaining() < HEADER_SIZE) {
            throw new SerializationException("record of " + buffer.remaining()
                    + " bytes is too short for the Confluent wire format (needs at least " + HEADER_SIZE + ")");
        }
        final byte magic = buffer.get();
        if (magic != MAGIC_BYTE) {
            throw new SerializationException("unknown magic byte " + magic + ": not in the Confluent wire format");
        }
        return buffer.getInt();
    }
}
