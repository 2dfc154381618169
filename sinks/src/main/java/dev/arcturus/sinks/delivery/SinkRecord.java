package dev.arcturus.sinks.delivery;

import org.apache.avro.specific.SpecificRecord;

/**
 * One decoded Kafka record handed to a sink, with its coordinates for logs and dead letters.
 *
 * @param value the decoded value, or {@code null} for a tombstone (delete the entity named by the key)
 */
public record SinkRecord(String topic, int partition, long offset, String key, SpecificRecord value) {

    public boolean isTombstone() {
        return value == null;
    }

    /** {@code topic-partition@offset}, the form every sink log line uses. */
    public String coordinates() {
        return topic + "-" + partition + "@" + offset;
    }
}
