package dev.arcturus.gateway.watch;

import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.gateway.follow.TopicFollower;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.topics.Topic;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server-streaming watch over a topic: its own follower positioned at the client's resume token, or at the end
 * for a new watch, pushing each visible record as it is committed. Ends when the client cancels.
 */
final class TopicWatch<V extends SpecificRecord, E> implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(TopicWatch.class);

    private final Topic<V> topic;
    private final Deserializer<V> values;
    private final TopicFollower follower;
    private final ServerCallStreamObserver<E> client;
    private final StreamObserver<E> out;
    private final BiFunction<ConsumerRecord<String, V>, String, Optional<E>> toEvent;
    private final Function<String, E> bookmark;
    private final Map<Integer, Long> positions = new HashMap<>();
    private volatile boolean cancelled;

    TopicWatch(final PlaneEndpoints endpoints, final Topic<V> topic, final String resumeToken,
               final StreamObserver<E> client, final BiFunction<ConsumerRecord<String, V>, String, Optional<E>> toEvent,
               final Function<String, E> bookmark, final Function<Runnable, StreamObserver<E>> guard) {
        this.topic = topic;
        this.bookmark = bookmark;
        this.client = (ServerCallStreamObserver<E>) client;
        this.toEvent = toEvent;
        this.values = topic.valueSerde(endpoints.registryClient()).deserializer();
        this.follower = TopicFollower.open("watch-" + topic.name(), endpoints, List.of(topic.name()), 10);
        final Map<TopicPartition, Long> resumeAt = new HashMap<>();
        if (!resumeToken.isEmpty()) {
            ResumeTokens.decode(resumeToken).forEach((partition, offset) ->
                    resumeAt.put(new TopicPartition(topic.name(), partition), offset));
        }
        // Fixed now, so events written after the RPC was accepted are never missed; partitions the token does not
        // name start from the beginning.
        final Map<TopicPartition, Long> start = resumeAt.isEmpty() ? follower.fromEnd() : follower.from(resumeAt);
        start.forEach((partition, offset) -> positions.put(partition.partition(), offset));
        this.client.setOnCancelHandler(this::stop);
        // Writes go through the guard, which ends the stream (and stops this follower) if the caller is revoked.
        this.out = guard.apply(this::stop);
    }

    private void stop() {
        cancelled = true;
        follower.close();
    }

    @Override
    public void run() {
        try {
            out.onNext(bookmark.apply(ResumeTokens.encode(positions)));
            follower.run(this::push, reached -> { });
        } catch (final RuntimeException e) {
            log.warn("Watch of {} failed: {}", topic.name(), e.toString(), e);
            if (!cancelled) {
                out.onError(Status.UNAVAILABLE.withDescription("watch interrupted; reconnect with the last "
                        + "resume_token").asRuntimeException());
            }
        }
    }

    private void push(final ConsumerRecord<byte[], byte[]> raw) {
        positions.put(raw.partition(), raw.offset() + 1);
        final Optional<V> value = TopicFollower.decode(values, raw);
        if (raw.value() != null && value.isEmpty()) {
            return; // undecodable: logged and skipped; the token moves past it
        }
        final ConsumerRecord<String, V> record = new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(),
                TopicFollower.key(raw), value.orElse(null));
        final Optional<E> event = toEvent.apply(record, ResumeTokens.encode(positions));
        if (event.isPresent() && !cancelled) {
            out.onNext(event.get());
        }
    }
}
