package dev.arcturus.sinks.mysql.capture;

import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.serde.ConfluentAvroSerializer;
import dev.arcturus.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the capture's output goes, transactionally: the plane's records, dead letters, and the binary-log position
 * they reach, in one Kafka transaction per binary-log transaction. The position topic is compacted, one partition,
 * one key; its last committed value is where a restart resumes.
 */
final class CaptureStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CaptureStore.class);
    private static final byte[] POSITION_KEY = "position".getBytes(StandardCharsets.UTF_8);
    static final String REASON_HEADER = "arcturus.dlq.reason";
    static final String SOURCE_HEADER = "arcturus.dlq.source";

    /** A row the plane cannot take. */
    record Rejected(TableRow row, String reason, BinlogPosition at) {
    }

    private final CaptureSettings settings;
    private KafkaProducer<byte[], byte[]> producer;
    private final Map<String, Serializer<SpecificRecord>> serializers;
    private boolean inTransaction;

    CaptureStore(final CaptureSettings settings) {
        this.settings = settings;
        ensurePositionTopic();
        final SchemaRegistryClient registry = settings.endpoints().registryClient();
        this.serializers = Map.of(
                settings.topics().registrations().name(), serializer(settings.topics().registrations(), registry),
                settings.topics().origins().name(), serializer(settings.topics().origins(), registry),
                settings.topics().probes().name(), serializer(settings.topics().probes(), registry),
                settings.topics().systemInfo().name(), serializer(settings.topics().systemInfo(), registry));
        this.producer = newProducer();
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        final KafkaProducer<byte[], byte[]> created = new KafkaProducer<>(settings.endpoints().kafkaClient().with(
                settings.endpoints().kafkaBootstrap(), Map.of(
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId(),
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                new ByteArraySerializer(), new ByteArraySerializer());
        created.initTransactions(); // fences an earlier instance of this capture
        return created;
    }

    /**
     * Looks the topic's schema up: a sink may not register schemas on a secured registry (the plane registers the
     * catalogue's at start). An open registry (a test's) lets it register a missing one instead.
     */
    private static <V extends SpecificRecord> Serializer<SpecificRecord> serializer(final Topic<V> topic,
                                                                                    final SchemaRegistryClient registry) {
        final ConfluentAvroSerializer<SpecificRecord> lookup = new ConfluentAvroSerializer<>(registry,
                topic.valueSchema(), false);
        final ConfluentAvroSerializer<SpecificRecord> register = new ConfluentAvroSerializer<>(registry,
                topic.valueSchema(), true);
        return (name, value) -> {
            try {
                return lookup.serialize(name, value);
            } catch (final org.apache.kafka.common.errors.SerializationException e) {
                return register.serialize(name, value);
            }
        };
    }

    private void ensurePositionTopic() {
        try (Admin admin = Admin.create(settings.endpoints().kafkaClient().with(settings.endpoints().kafkaBootstrap(),
                Map.of()))) {
            admin.createTopics(List.of(new NewTopic(settings.positionTopic(), 1, (short) -1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get();
        } catch (final ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the capture's position topic "
                        + settings.positionTopic(), e.getCause());
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating " + settings.positionTopic(), e);
        }
    }

    /** The last committed position, if the capture has ever committed one. */
    Optional<BinlogPosition> position() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings.endpoints().kafkaClient().with(
                settings.endpoints().kafkaBootstrap(), Map.of(
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final TopicPartition partition = new TopicPartition(settings.positionTopic(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            String last = null;
            while (consumer.position(partition) < end) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        last = new String(record.value(), StandardCharsets.UTF_8);
                    }
                }
            }
            return Optional.ofNullable(last).map(BinlogPosition::parse);
        }
    }

    /** Everything one binary-log transaction produced, and the position after it, committed together. */
    void commit(final List<RowMapping.Output> outputs, final List<Rejected> rejected, final BinlogPosition after) {
        producer.beginTransaction();
        inTransaction = true;
        for (final RowMapping.Output output : outputs) {
            final byte[] value = output.value() == null ? null
                    : serializers.get(output.topic()).serialize(output.topic(), (SpecificRecord) output.value());
            producer.send(new ProducerRecord<>(output.topic(), utf8(output.key()), value));
        }
        for (final Rejected bad : rejected) {
            final ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(settings.deadLetterTopic(),
                    utf8(bad.row().table()), utf8(describe(bad.row())));
            letter.headers().add(REASON_HEADER, utf8(bad.reason()));
            letter.headers().add(SOURCE_HEADER, utf8("mysql:" + settings.database().name() + "." + bad.row().table()
                    + "@" + bad.at()));
            producer.send(letter);
        }
        producer.send(new ProducerRecord<>(settings.positionTopic(), POSITION_KEY, utf8(after.toString())));
        producer.commitTransaction();
        inTransaction = false;
    }

    /**
     * After a failure: whatever the open transaction held is dropped (and read again from the log). A producer that
     * cannot abort (fenced, or in a fatal state) is replaced.
     */
    void abortQuietly() {
        if (!inTransaction) {
            return;
        }
        inTransaction = false;
        try {
            producer.abortTransaction();
        } catch (final RuntimeException e) {
            log.debug("Replacing the capture's producer: its transaction could not be aborted", e);
            producer.close(Duration.ZERO);
            producer = newProducer();
        }
    }

    /** The row as text for the dead letter: column = value, in name order. */
    private static String describe(final TableRow row) {
        final Map<String, String> columns = new TreeMap<>();
        row.columns().keySet().forEach(column -> columns.put(column, row.text(column)));
        return row.table() + " " + columns;
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
