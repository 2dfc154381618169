package dev.arcturus.gateway.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.testing.SharedPlane;
import dev.arcturus.testing.SharedPlaneExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway's one topic-following loop against the shared broker: it starts where it is told (end, beginning,
 * offsets), hands records over in order with their positions, skips a record it cannot decode instead of stalling on
 * it, and stops on close.
 */
@ExtendWith(SharedPlaneExtension.class)
class TopicFollowerTest {
    /** Text, except a first byte of 0xFF, which it refuses as a serde does a record of the wrong format. */
    private static final Deserializer<String> TEXT = (topic, bytes) -> {
        if (bytes.length > 0 && bytes[0] == (byte) 0xFF) {
            throw new SerializationException("not text");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    };

    private final SharedPlane plane;
    private final PlaneEndpoints endpoints;

    TopicFollowerTest(final SharedPlane plane) {
        this.plane = plane;
        this.endpoints = new PlaneEndpoints(plane.bootstrapServers(), plane.registryUrl());
    }

    @Test
    void shouldSkipAnUndecodableRecordAndKeepFollowing() throws Exception {
        final String topic = topic();
        send(topic, "before".getBytes(StandardCharsets.UTF_8));
        final List<String> seen = new CopyOnWriteArrayList<>();
        try (TopicFollower follower = TopicFollower.open("test", endpoints, List.of(topic), 10)) {
            final Map<TopicPartition, Long> ends = follower.fromBeginning();
            assertThat(ends).containsEntry(new TopicPartition(topic, 0), 1L);
            final Thread thread = new Thread(() -> follower.run(
                    record -> TopicFollower.decode(TEXT, record).ifPresent(seen::add), positions -> { }));
            thread.start();
            send(topic, new byte[] {(byte) 0xFF, 1, 2});
            send(topic, "after".getBytes(StandardCharsets.UTF_8));
            send(topic, null);
            awaitSize(seen, 2);
            follower.close();
            thread.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(thread.isAlive()).as("closed").isFalse();
        }
        assertThat(seen).containsExactly("before", "after");
    }

    @Test
    void shouldStartFromTheEndOrFromGivenOffsets() throws Exception {
        final String topic = topic();
        for (final String text : List.of("a", "b", "c")) {
            send(topic, text.getBytes(StandardCharsets.UTF_8));
        }
        final TopicPartition partition = new TopicPartition(topic, 0);
        try (TopicFollower fromEnd = TopicFollower.open("test-end", endpoints, List.of(topic), 10);
             TopicFollower fromOne = TopicFollower.open("test-one", endpoints, List.of(topic), 10)) {
            assertThat(fromEnd.fromEnd()).containsEntry(partition, 3L);
            assertThat(fromOne.from(Map.of(partition, 1L))).containsEntry(partition, 1L);
            final List<String> seen = new CopyOnWriteArrayList<>();
            final Thread thread = new Thread(() -> fromOne.run(
                    record -> TopicFollower.decode(TEXT, record).ifPresent(seen::add), positions -> { }));
            thread.start();
            awaitSize(seen, 2);
            fromOne.close();
            thread.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(seen).containsExactly("b", "c");
        }
    }

    @Test
    void shouldDecodeATombstoneAsEmpty() {
        assertThat(TopicFollower.decode(TEXT, new org.apache.kafka.clients.consumer.ConsumerRecord<>("t", 0, 0,
                "k".getBytes(StandardCharsets.UTF_8), null))).isEqualTo(Optional.empty());
    }

    private String topic() throws Exception {
        final String name = SharedPlane.uniqueName("follower");
        plane.admin().createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        return name;
    }

    private void send(final String topic, final byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "k".getBytes(StandardCharsets.UTF_8), value)).get(30,
                    TimeUnit.SECONDS);
        }
    }

    private static void awaitSize(final List<String> seen, final int size) {
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= size);
    }
}
