package dev.arcturus.sinks.delivery;

import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicBootstrap;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves records from Kafka into a {@link SinkWriter} with at-least-once delivery and idempotent writes, in the manner
 * of Zeebe's exporters: poll a batch, decode it, write it in one store transaction, and only then commit the offsets.
 *
 * <ul>
 *   <li>An undecodable record, or one the store rejects, goes to {@code <name>.dlq} with the reason; the rest of the
 *       batch is still written.</li>
 *   <li>An unavailable store pauses consumption and is retried with capped exponential backoff for as long as it
 *       takes; the consumer keeps polling (paused) so it stays in its group, and nothing is committed meanwhile.</li>
 *   <li>If the group rebalances mid-batch, the commit fails harmlessly: the new owner re-reads the batch and the
 *       idempotent writes make the repeat a no-op.</li>
 * </ul>
 */
public final class SinkRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SinkRunner.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final SinkSettings settings;
    private final SinkWriter writer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final DeadLetters deadLetters;
    private final Map<String, Deserializer<? extends SpecificRecord>> decoders = new HashMap<>();
    private final Backoff backoff;
    private final Thread thread;
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final SinkMeters meters;
    private volatile boolean closing;

    private SinkRunner(final SinkSettings settings, final SinkWriter writer) {
        this.settings = settings;
        this.writer = writer;
        this.backoff = new Backoff(settings.retryInitial(), settings.retryMax());
        final SchemaRegistryClient registry = settings.endpoints().registryClient();
        for (final Topic<?> topic : writer.topics()) {
            decoders.put(topic.name(), topic.valueSerde(registry).deserializer());
        }
        TopicBootstrap.ensureDeadLetterTopic(settings.endpoints(), settings.deadLetterTopic());
        this.deadLetters = new DeadLetters(settings.endpoints(), settings.deadLetterTopic());
        this.consumer = new KafkaConsumer<>(settings.endpoints().kafkaClient().with(
                settings.endpoints().kafkaBootstrap(), Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, settings.name(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // State topics are written by exactly-once apps: never store an aborted write.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxBatch())),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.meters = new SinkMeters(settings.name(), consumer);
        this.thread = new Thread(this::run, settings.name());
    }

    /** Starts consuming on a thread of its own; {@link #close()} stops it. */
    public static SinkRunner start(final SinkSettings settings, final SinkWriter writer) {
        final SinkRunner runner = new SinkRunner(settings, writer);
        runner.thread.start();
        return runner;
    }

    /** Records written to the store since start (dead letters excluded). */
    public long storedRecords() {
        return stored.get();
    }

    public long deadLetteredRecords() {
        return deadLettered.get();
    }

    private void run() {
        consumer.subscribe(List.copyOf(decoders.keySet()));
        log.info("Sink {} consuming {} into {}", settings.name(), decoders.keySet(), writer.getClass().getSimpleName());
        try {
            while (!closing) {
                final ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL_TIMEOUT);
                if (!polled.isEmpty() && deliver(polled)) {
                    commit(polled);
                }
            }
        } catch (final WakeupException e) {
            if (!closing) {
                throw e;
            }
        } catch (final RuntimeException e) {
            log.error("Sink {} stopped: {}", settings.name(), e.toString(), e);
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.groupMembershipOperation(
                    org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
    }

    /** Writes the polled batch; false if the sink is closing before it was written. */
    private boolean deliver(final ConsumerRecords<byte[], byte[]> polled) {
        final List<SinkRecord> batch = new ArrayList<>(polled.count());
        // Kept in step with the batch, index by index: the raw bytes are what a rejected record dead-letters.
        final List<ConsumerRecord<byte[], byte[]>> sources = new ArrayList<>(polled.count());
        for (final ConsumerRecord<byte[], byte[]> raw : polled) {
            final SinkRecord decoded = decode(raw);
            if (decoded != null) {
                batch.add(decoded);
                sources.add(raw);
            }
        }
        if (batch.isEmpty()) {
            return true;
        }
        final Outcome outcome = writeWithRetry(batch);
        if (outcome == Outcome.RECORD_PROBLEM) {
            for (int i = 0; i < batch.size(); i++) {
                if (writeOneWithRetry(batch.get(i), sources.get(i)) == Outcome.CLOSING) {
                    return false;
                }
            }
            return true;
        }
        return outcome == Outcome.WRITTEN;
    }

    private SinkRecord decode(final ConsumerRecord<byte[], byte[]> raw) {
        final String key = raw.key() == null ? null : new String(raw.key(), StandardCharsets.UTF_8);
        try {
            final SpecificRecord value = raw.value() == null ? null : decoders.get(raw.topic()).deserialize(raw.topic(),
                    raw.value());
            return new SinkRecord(raw.topic(), raw.partition(), raw.offset(), key, value);
        } catch (final KafkaException | org.apache.avro.AvroRuntimeException e) {
            deadLetter(raw, "undecodable value: " + e.getMessage());
            return null;
        }
    }

    private enum Outcome { WRITTEN, RECORD_PROBLEM, CLOSING }

    private Outcome writeWithRetry(final List<SinkRecord> batch) {
        while (!closing) {
            try {
                final long started = System.nanoTime();
                writer.write(batch);
                meters.written(batch.size(), Duration.ofNanos(System.nanoTime() - started));
                stored.addAndGet(batch.size());
                resumeAfterOutage();
                return Outcome.WRITTEN;
            } catch (final Exception e) {
                if (writer.isRecordProblem(e)) {
                    log.warn("Sink {}: the store rejected a record in {}..{}; isolating it: {}", settings.name(),
                            batch.get(0).coordinates(), batch.get(batch.size() - 1).coordinates(), e.toString());
                    return Outcome.RECORD_PROBLEM;
                }
                waitOutOutage(batch.get(0), e);
            }
        }
        return Outcome.CLOSING;
    }

    private Outcome writeOneWithRetry(final SinkRecord record, final ConsumerRecord<byte[], byte[]> source) {
        while (!closing) {
            try {
                final long started = System.nanoTime();
                writer.write(List.of(record));
                meters.written(1, Duration.ofNanos(System.nanoTime() - started));
                stored.incrementAndGet();
                resumeAfterOutage();
                return Outcome.WRITTEN;
            } catch (final Exception e) {
                if (writer.isRecordProblem(e)) {
                    deadLetter(source, "rejected by the store: " + e.getMessage());
                    return Outcome.WRITTEN;
                }
                waitOutOutage(record, e);
            }
        }
        return Outcome.CLOSING;
    }

    /** Pauses fetching and waits, still polling so the group keeps this member. */
    private void waitOutOutage(final SinkRecord first, final Exception failure) {
        final Duration delay = backoff.nextDelay();
        meters.storeUnavailable();
        log.warn("Sink {}: store unavailable writing from {} ({}); retrying in {} ms", settings.name(),
                first.coordinates(), failure.toString(), delay.toMillis());
        consumer.pause(consumer.assignment());
        final ConsumerRecords<byte[], byte[]> unexpected = consumer.poll(delay);
        // Partitions newly assigned during the wait are not paused yet; rewind whatever they returned.
        for (final TopicPartition partition : unexpected.partitions()) {
            consumer.seek(partition, unexpected.records(partition).get(0).offset());
        }
        consumer.pause(consumer.assignment());
    }

    private void resumeAfterOutage() {
        backoff.reset();
        if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
            log.info("Sink {}: store available again, resuming", settings.name());
        }
    }

    private void deadLetter(final ConsumerRecord<byte[], byte[]> raw, final String reason) {
        log.warn("Sink {}: dead-lettering {}-{}@{} (key {}): {}", settings.name(), raw.topic(), raw.partition(),
                raw.offset(), raw.key() == null ? null : new String(raw.key(), StandardCharsets.UTF_8), reason);
        deadLetters.send(raw, reason);
        deadLettered.incrementAndGet();
        meters.deadLettered(raw.topic());
    }

    private void commit(final ConsumerRecords<byte[], byte[]> polled) {
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        final Set<TopicPartition> owned = consumer.assignment();
        for (final TopicPartition partition : polled.partitions()) {
            final List<ConsumerRecord<byte[], byte[]>> records = polled.records(partition);
            if (owned.contains(partition)) {
                offsets.put(partition, new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1));
            }
        }
        try {
            consumer.commitSync(offsets);
        } catch (final org.apache.kafka.clients.consumer.CommitFailedException
                       | org.apache.kafka.common.errors.RebalanceInProgressException e) {
            log.info("Sink {}: offsets not committed after a rebalance ({}); the new owner re-reads idempotently",
                    settings.name(), e.toString());
        }
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        meters.close();
        try {
            deadLetters.close();
        } finally {
            writer.close();
        }
    }
}
