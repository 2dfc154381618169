package dev.arcturus.gateway.state;

import dev.arcturus.avro.JobDecision;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.gateway.follow.TopicFollower;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.topics.TopicCatalog;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each admission decision to the request waiting for it, matched by command id. It follows the decision topic
 * from its end at start-up, so it sees every decision for a command sent afterwards.
 */
public final class DecisionWaiter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DecisionWaiter.class);

    private final Map<String, CompletableFuture<JobDecision>> pending = new ConcurrentHashMap<>();
    private final Deserializer<JobDecision> decisions;
    private final TopicFollower follower;
    private final Thread thread;

    public DecisionWaiter(final PlaneEndpoints endpoints) {
        decisions = TopicCatalog.JOB_DECISION.valueSerde(endpoints.registryClient())
                .deserializer();
        follower = TopicFollower.open("gateway-decisions", endpoints, List.of(TopicCatalog.JOB_DECISION.name()), 5);
        follower.fromEnd(); // fixed now, before any command is sent
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
            follower.run(this::hand, positions -> { });
        } catch (final RuntimeException e) {
            log.error("Decision reader stopped unexpectedly", e);
        }
    }

    private void hand(final ConsumerRecord<byte[], byte[]> record) {
        TopicFollower.decode(decisions, record).ifPresent(decision -> {
            final CompletableFuture<JobDecision> waiting = pending.remove(decision.getCommandId());
            if (waiting != null) {
                waiting.complete(decision);
            }
        });
    }

    @Override
    public void close() {
        follower.close();
        try {
            thread.join(10_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
