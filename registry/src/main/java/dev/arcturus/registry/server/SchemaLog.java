package dev.arcturus.registry.server;

import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.topics.TopicBootstrap;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's durable store: a single-partition, compacted Kafka topic (by default {@code _schemas}, as in
 * Confluent Schema Registry) holding JSON keys and values. The whole topic is replayed at start-up, so schema
 * ids and versions survive restarts; every write is acknowledged by the broker before it is applied in memory.
 */
final class SchemaLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchemaLog.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final PlaneEndpoints kafka;
    private final String topic;
    private final KafkaProducer<String, String> producer;

    SchemaLog(final PlaneEndpoints kafka, final String topic) {
        this.kafka = kafka;
        this.topic = topic;
        ensureTopic();
        this.producer = new KafkaProducer<>(kafka.kafkaClient().with(kafka.kafkaBootstrap(), Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, "arcturus-registry-" + topic)),
                new StringSerializer(), new StringSerializer());
    }

    String topic() {
        return topic;
    }

    /** Feeds every (key, value) record of the log, oldest first, to {@code apply}; a null value is a tombstone. */
    void replay(final BiConsumer<String, String> apply) {
        final TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(kafka.kafkaClient()
                .with(kafka.kafkaBootstrap(), Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
            long count = 0;
            while (consumer.position(partition, TIMEOUT) < end) {
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    apply.accept(record.key(), record.value());
                    count++;
                }
            }
            log.info("Replayed {} records from schema log {} (end offset {})", count, topic, end);
        }
    }

    /** Appends one record and waits until the broker has it. */
    void append(final String key, final String value) {
        try {
            producer.send(new ProducerRecord<>(topic, 0, key, value)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            throw RegistryError.storeFailure("cannot write to schema log " + topic, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryError.storeFailure("interrupted writing to schema log " + topic, e);
        }
    }

    private void ensureTopic() {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            final int brokers = admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            final short replication = (short) Math.min(3, brokers);
            final Map<String, String> configs = new HashMap<>();
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(Math.max(1, replication - 1)));
            final NewTopic newTopic = new NewTopic(topic, 1, replication).configs(configs);
            if (!new TopicBootstrap(admin, replication).ensureNewTopics(Set.of(newTopic)).isEmpty()) {
                awaitVisible(admin);
                log.info("Created schema log topic {} (replication {})", topic, replication);
            }
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + kafka.kafkaBootstrap() + " for the schema log", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted preparing the schema log", e);
        }
    }

    /** A freshly created topic reaches the brokers' metadata a moment later; replaying before then only warns. */
    private void awaitVisible(final Admin admin) throws InterruptedException {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                admin.describeTopics(Set.of(topic)).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (final ExecutionException | TimeoutException notYet) {
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
