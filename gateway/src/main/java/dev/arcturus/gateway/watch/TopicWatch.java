package dev.arcturus.gateway.watch;

import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.topics.Topic;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server-streaming watch over a topic: its own consumer (no group) positioned at the client's resume token, or
 * at the end for a new watch, pushing each visible record as it is committed. Ends when the client cancels.
 */
final class TopicWatch<V extends SpecificRecord, E> implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(TopicWatch.class);

    private final Topic<V> topic;
    private final KafkaConsumer<String, V> consumer;
    private final ServerCallStreamObserver<E> client;
    private final BiFunction<ConsumerRecord<String, V>, String, Optional<E>> toEvent;
    private final Function<String, E> bookmark;
    private final Map<Integer, Long> positions = new HashMap<>();
    private volatile boolean cancelled;

    TopicWatch(final PlaneEndpoints endpoints, final Topic<V> topic, final String resumeToken,
               final StreamObserver<E> client, final BiFunction<ConsumerRecord<String, V>, String, Optional<E>> toEvent,
               final Function<String, E> bookmark) {
        this.topic = topic;
        this.bookmark = bookmark;
        this.client = (ServerCallStreamObserver<E>) client;
        this.toEvent = toEvent;
        final Map<Integer, Long> resumeAt = resumeToken.isEmpty() ? Map.of() : ResumeTokens.decode(resumeToken);
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10), new StringDeserializer(),
                topic.valueSerde(new HttpSchemaRegistryClient(endpoints.schemaRegistryUrl())).deserializer());
        final List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
        consumer.assign(partitions);
        if (resumeAt.isEmpty()) {
            consumer.seekToEnd(partitions);
        } else {
            consumer.seekToBeginning(partitions); // partitions the token does not name start from the beginning
            resumeAt.forEach((partition, offset) -> consumer.seek(new TopicPartition(topic.name(), partition), offset));
        }
        // Fix the starting position now, so events written after the RPC was accepted are never missed.
        partitions.forEach(p -> positions.put(p.partition(), consumer.position(p)));
        this.client.setOnCancelHandler(() -> {
            cancelled = true;
            consumer.wakeup();
        });
    }

    @Override
    public void run() {
        try {
            client.onNext(bookmark.apply(ResumeTokens.encode(positions)));
            while (!cancelled) {
                for (final ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(500))) {
                    positions.put(record.partition(), record.offset() + 1);
                    final Optional<E> event = toEvent.apply(record, ResumeTokens.encode(positions));
                    if (event.isPresent() && !cancelled) {
                        client.onNext(event.get());
                    }
                }
            }
        } catch (final WakeupException e) {
            // cancelled by the client
        } catch (final RuntimeException e) {
            log.warn("Watch of {} failed: {}", topic.name(), e.toString(), e);
            if (!cancelled) {
                client.onError(Status.UNAVAILABLE.withDescription("watch interrupted; reconnect with the last "
                        + "resume_token").asRuntimeException());
            }
        } finally {
            consumer.close();
        }
    }
}
