package dev.arcturus.sinks.delivery;

import dev.arcturus.topics.Topic;
import java.util.Collection;
import java.util.List;

/**
 * Writes batches of records into one external store. The {@link SinkRunner} commits Kafka offsets only after
 * {@link #write} returns, so a write must be all-or-nothing (or idempotent when retried) and replay-safe: writing the
 * same records again must leave the store as it was.
 */
public interface SinkWriter extends AutoCloseable {

    /** The topics this writer consumes; their descriptors say how to decode them. */
    Collection<Topic<?>> topics();

    /** Writes the batch durably, in order per key. Throws if nothing or only part was written. */
    void write(List<SinkRecord> batch) throws Exception;

    /**
     * Whether a failure was caused by the records themselves (a value the store rejects) rather than by the store
     * being unavailable. Record problems are isolated and dead-lettered; anything else is retried with backoff.
     */
    boolean isRecordProblem(Exception failure);

    @Override
    void close();
}
