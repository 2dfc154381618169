package dev.arcturus.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.Heartbeat;
import dev.arcturus.avro.LivenessState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.testing.SharedPlane;
import dev.arcturus.testing.SharedPlaneExtension;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** On the real broker: heartbeats make nodes UP; when they stop, the wall-clock tick marks them DOWN. */
@ExtendWith(SharedPlaneExtension.class)
class LivenessAppTest {
    /** No start-up grace, so DOWN can be observed at once. */
    private static final LivenessPolicy FAST = new LivenessPolicy(Duration.ofSeconds(2), Duration.ofSeconds(4),
            Duration.ofSeconds(60), Duration.ZERO, Duration.ofMinutes(5), 4, Duration.ofMillis(200));

    private final SharedPlane plane;
    @TempDir
    Path stateDir;

    LivenessAppTest(final SharedPlane plane) {
        this.plane = plane;
    }

    @Test
    void shouldPublishUpThenDownOnTheCompactedLivenessTopic() throws Exception {
        plane.ensureTopics(TopicCatalog.all());
        final String run = SharedPlane.uniqueName("live");
        final List<String> nodes = List.of(run + "-a", run + "-b", run + "-c");
        try (LivenessApp app = LivenessApp.start(run, new PlaneEndpoints(plane.bootstrapServers(), plane.registryUrl()),
                stateDir, FAST, Duration.ofSeconds(90));
             KafkaProducer<String, Heartbeat> producer = new KafkaProducer<>(
                     Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers()), new StringSerializer(),
                     TopicCatalog.NODE_HEARTBEAT.valueSerde(plane.registryClient()).serializer())) {
            for (final String node : nodes) {
                producer.send(new ProducerRecord<>(TopicCatalog.NODE_HEARTBEAT.name(), node, Heartbeat.newBuilder()
                        .setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC())).setNodeId(node)
                        .setSentAt(Instant.now()).setSequence(1).build())).get();
            }
            final Map<String, List<LivenessState>> seen = readUntilDown(nodes);
            nodes.forEach(n -> assertThat(seen.get(n)).as(n).containsSubsequence(LivenessState.UP, LivenessState.DOWN));
        }
    }

    private Map<String, List<LivenessState>> readUntilDown(final List<String> nodes) {
        final Map<String, List<LivenessState>> seen = new HashMap<>();
        try (KafkaConsumer<String, NodeLiveness> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, SharedPlane.uniqueName("liveness-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                TopicCatalog.NODE_LIVENESS.valueSerde(plane.registryClient()).deserializer())) {
            consumer.subscribe(List.of(TopicCatalog.NODE_LIVENESS.name()));
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !allDown(seen, nodes)) {
                for (final ConsumerRecord<String, NodeLiveness> record : consumer.poll(Duration.ofMillis(200))) {
                    if (nodes.contains(record.key()) && record.value() != null) {
                        seen.computeIfAbsent(record.key(), k -> new java.util.ArrayList<>()).add(record.value().getState());
                    }
                }
            }
        }
        return seen;
    }

    private static boolean allDown(final Map<String, List<LivenessState>> seen, final List<String> nodes) {
        return nodes.stream().allMatch(n -> seen.containsKey(n) && seen.get(n).contains(LivenessState.DOWN));
    }
}
