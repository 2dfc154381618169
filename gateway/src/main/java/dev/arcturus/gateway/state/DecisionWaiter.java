package dev.arcturus.gateway.state;

import dev.arcturus.avro.JobDecision;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.topics.TopicCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each admission decision to the request waiting for it, matched by command id. It follows the decision topic
 * from its end at start-up, so it sees every decision for a command sent afterwards.
 */
public final class DecisionWaiter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DecisionWaiter.class);

    private final Map<String, CompletableFuture<JobDecision>> pending = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, JobDecision> consumer;
    private final Thread thread;
    private volatile boolean closing;

    public DecisionWaiter(final PlaneEndpoints endpoints) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5),
                new StringDeserializer(), TopicCatalog.JOB_DECISION.valueSerde(
                        new HttpSchemaRegistryClient(endpoints.schemaRegistryUrl())).deserializer());
        final List<TopicPartition> partitions = consumer.partitionsFor(TopicCatalog.JOB_DECISION.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the start now, before any command is sent
        thread = new Thread(this::run, "gateway-decisions");
        thread.setDaemon(true);
        thread.start();
    }

    /** Registers interest in a command's decision; call before sending the command. */
    public CompletableFuture<JobDecision> expect(final String commandId) {
        return pending.computeIfAbsent(commandId, id -> new CompletableFuture<>());
    }

    public void forget(final String commandId) {
        pending.remove(commandId);
    }

    private void run() {
        try {
            while (!closing) {
                try {
                    for (final ConsumerRecord<String, JobDecision> record : consumer.poll(Duration.ofMillis(200))) {
                        final CompletableFuture<JobDecision> waiting = pending.remove(record.value().getCommandId());
                        if (waiting != null) {
                            waiting.complete(record.value());
                        }
                    }
                } catch (final WakeupException e) {
                    throw e;
                } catch (final KafkaException e) {
                    log.warn("Decision reader: {}", e.getMessage());
                }
            }
        } catch (final WakeupException e) {
            if (!closing) {
                log.error("Decision reader stopped unexpectedly", e);
            }
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
