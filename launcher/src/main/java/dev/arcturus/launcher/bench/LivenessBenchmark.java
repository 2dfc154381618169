package dev.arcturus.launcher.bench;

import dev.arcturus.avro.Heartbeat;
import dev.arcturus.avro.LivenessState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.liveness.LivenessApp;
import dev.arcturus.liveness.LivenessPolicy;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.topics.TopicCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arcturus bench liveness}: heartbeats per second the liveness app sustains for a fleet, and how long after a
 * node's last heartbeat its DOWN is visible. Ends with
 * {@code RESULT liveness heartbeats_per_s=<n> down_detect_s=<n> ttl_s=<n>}.
 */
@Command(name = "liveness", mixinStandardHelpOptions = true,
        description = "Liveness throughput for a fleet and the delay from the last heartbeat to DOWN.")
public final class LivenessBenchmark implements Callable<Integer> {
    private static final Clock CLOCK = Clock.systemUTC();

    @Option(names = "--nodes", defaultValue = "10000", description = "Fleet size (default ${DEFAULT-VALUE}).")
    private int nodes;
    @Option(names = "--rounds", defaultValue = "60", description = "Heartbeats per node (default ${DEFAULT-VALUE}).")
    private int rounds;

    @Override
    public Integer call() throws Exception {
        final LivenessPolicy policy = LivenessPolicy.defaults();
        try (BenchPlane plane = BenchPlane.start();
             LivenessApp ignored = LivenessApp.start(LivenessApp.DEFAULT_APPLICATION_ID, plane.endpoints(),
                     plane.stateDir(), policy, Duration.ofSeconds(120));
             KafkaProducer<String, Heartbeat> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrap(), ProducerConfig.LINGER_MS_CONFIG, 5),
                     new StringSerializer(), TopicCatalog.NODE_HEARTBEAT.valueSerde(plane.registry()).serializer())) {
            final double perSecond = throughput(plane.admin(), producer);
            final double detect = downDetection(plane.bootstrap(), plane.registry(), producer);
            System.out.printf("RESULT liveness heartbeats_per_s=%d down_detect_s=%.1f ttl_s=%d%n",
                    Math.round(perSecond), detect, policy.ttl().toSeconds());
        }
        return 0;
    }

    private double throughput(final Admin admin, final KafkaProducer<String, Heartbeat> producer) throws Exception {
        final long total = (long) nodes * rounds;
        final long start = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            for (int n = 0; n < nodes; n++) {
                producer.send(new ProducerRecord<>(TopicCatalog.NODE_HEARTBEAT.name(), "node-" + n, beat("node-" + n, round)));
            }
        }
        producer.flush();
        awaitNoLag(admin);
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("throughput: %d heartbeats from %d nodes consumed and processed in %.1f s%n", total, nodes,
                seconds);
        return total / seconds;
    }

    /** Waits until the liveness app's committed offsets reach the end of the heartbeat topic. */
    private static void awaitNoLag(final Admin admin) throws Exception {
        final String topic = TopicCatalog.NODE_HEARTBEAT.name();
        final List<TopicPartition> partitions = java.util.stream.IntStream.range(0, TopicCatalog.ENTITY_PARTITIONS)
                .mapToObj(p -> new TopicPartition(topic, p)).toList();
        final Map<TopicPartition, Long> ends = admin.listOffsets(partitions.stream()
                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        final long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(LivenessApp.DEFAULT_APPLICATION_ID).partitionsToOffsetAndMetadata().get();
            if (partitions.stream().allMatch(p -> committed.get(p) != null && committed.get(p).offset() >= ends.get(p))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the liveness app did not catch up within 10 minutes");
    }

    /** One last heartbeat from a fresh node, then the time until its DOWN is visible to a read_committed reader. */
    private static double downDetection(final String bootstrap, final SchemaRegistryClient registry,
                                        final KafkaProducer<String, Heartbeat> producer) throws Exception {
        final String node = "silent-node";
        try (KafkaConsumer<String, NodeLiveness> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "bench-liveness-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), TopicCatalog.NODE_LIVENESS.valueSerde(registry).deserializer())) {
            consumer.subscribe(List.of(TopicCatalog.NODE_LIVENESS.name()));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
            producer.send(new ProducerRecord<>(TopicCatalog.NODE_HEARTBEAT.name(), node, beat(node, 0))).get();
            final long lastBeat = System.nanoTime();
            final long deadline = lastBeat + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                for (final ConsumerRecord<String, NodeLiveness> record : consumer.poll(Duration.ofMillis(50))) {
                    if (node.equals(record.key()) && record.value() != null
                            && record.value().getState() == LivenessState.DOWN) {
                        final double seconds = (System.nanoTime() - lastBeat) / 1e9;
                        System.out.printf("down detection: %s DOWN visible %.2f s after its last heartbeat%n", node, seconds);
                        return seconds;
                    }
                }
            }
        }
        throw new IllegalStateException("no DOWN for " + node + " within 2 minutes");
    }

    private static Heartbeat beat(final String node, final long sequence) {
        return Heartbeat.newBuilder().setMetadata(EventMetadatas.newMetadata("bench", CLOCK)).setNodeId(node)
                .setSentAt(Instant.now()).setSequence(sequence).build();
    }
}
