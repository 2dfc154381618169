package dev.arcturus.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ConfluentWireFormatTest {
    @Test
    void shouldReadTheBigEndianSchemaIdAfterTheMagicByte() {
        final ByteBuffer buffer = ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 2, 42});

        assertThat(ConfluentWireFormat.readHeader(buffer)).isEqualTo(258);
        assertThat(buffer.position()).as("left at the Avro body").isEqualTo(5);
    }

    @Test
    void shouldRejectAnUnknownMagicByte() {
        assertThatThrownBy(() -> ConfluentWireFormat.readHeader(ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 1})))
                .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte 1");
    }

    @Test
    void shouldRejectARecordShorterThanTheHeader() {
        assertThatThrownBy(() -> ConfluentWireFormat.readHeader(ByteBuffer.wrap(new byte[] {0, 0, 1})))
                .isInstanceOf(SerializationException.class).hasMessageContaining("too short");
    }

    @Test
    void shouldNameValueSubjectsAfterTheTopic() {
        assertThat(ConfluentWireFormat.valueSubject("fleet.node.heartbeat.v1")).isEqualTo("fleet.node.heartbeat.v1-value");
    }
}
