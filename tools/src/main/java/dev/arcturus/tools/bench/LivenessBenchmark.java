package dev.arcturus.tools.bench;

import dev.arcturus.avro.Heartbeat;
import dev.arcturus.avro.LivenessState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.liveness.LivenessApp;
import dev.arcturus.liveness.LivenessPolicy;
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
 * {@code arcturus bench liveness}: heartbeats per second the liveness app sustains for a fleet (warm, after a cold
 * start that is reported on its own line), and how long after a node's last heartbeat its DOWN is visible. Ends with
 * {@code RESULT liveness heartbeats_per_s=<n> down_detect_s=<n> ttl_s=<n>}.
 */
@Command(name = "liveness", mixinStandardHelpOptions = true,
        description = "Liveness throughput for a fleet and the delay from the last heartbeat to DOWN.")
public final class LivenessBenchmark implements Callable<Integer> {
    private static final Clock CLOCK = Clock.systemUTC();

    @Option(names = "--nodes", defaultValue = "10000", description = "Fleet size (default ${DEFAULT-VALUE}).")
    private int nodes;
    @Option(names = "--rounds", defaultValue = "60", description = "Heartbeats per node in the cold start (default ${DEFAULT-VALUE}).")
    private int rounds;
    @Option(names = "--measured-rounds", defaultValue = "180",
            description = "Heartbeats per node in the measured, warm phase (default ${DEFAULT-VALUE}).")
    private int measuredRounds;

    @picocli.CommandLine.Mixin
    private BusOption bus = new BusOption();

    @Override
    public Integer call() throws Exception {
        final LivenessPolicy policy = LivenessPolicy.defaults();
        try (BenchPlane plane = BenchPlane.start(bus.secured());
             KafkaProducer<String, Heartbeat> producer = new KafkaProducer<>(plane.client(Map.of(
                     ProducerConfig.LINGER_MS_CONFIG, 5)),
                     new StringSerializer(), TopicCatalog.NODE_HEARTBEAT.valueSerde(plane.registry()).serializer())) {
            sendRounds(producer, 0, rounds);
            try (LivenessApp ignored = LivenessApp.start(LivenessApp.DEFAULT_APPLICATION_ID,
                    plane.endpointsOf(dev.arcturus.bus.BusPrincipal.LIVENESS),
                    plane.stateDir(), policy, Duration.ofSeconds(120))) {
                final double cold = drainRate(plane.admin());
                final double sustained = throughput(plane.admin(), producer);
                final double detect = downDetection(plane, producer);
                System.out.printf("cold start (preloaded, app alone, JIT cold): %d heartbeats/s%n", Math.round(cold));
                System.out.printf("RESULT liveness bus=" + bus.label() + " heartbeats_per_s=%d down_detect_s=%.1f ttl_s=%d%n",
                        Math.round(sustained), detect, policy.ttl().toSeconds());
            }
        }
        return 0;
    }

    /** {@code count} heartbeats from every node, sequence numbers from {@code firstRound}. */
    private void sendRounds(final KafkaProducer<String, Heartbeat> producer, final int firstRound, final int count) {
        for (int round = firstRound; round < firstRound + count; round++) {
            for (int n = 0; n < nodes; n++) {
                producer.send(new ProducerRecord<>(TopicCatalog.NODE_HEARTBEAT.name(), "node-" + n, beat("node-" + n, round)));
            }
        }
        producer.flush();
    }

    /**
     * The cold start, which also warms the JIT: the heartbeats were all written before the app started, and the clock
     * runs from the app being RUNNING until its commits reach the end of the topic.
     */
    private double drainRate(final Admin admin) throws Exception {
        final long start = System.nanoTime();
        final long alreadyDone = committedTotal(admin);
        awaitNoLag(admin);
        final double seconds = (System.nanoTime() - start) / 1e9;
        final long processed = (long) nodes * rounds - alreadyDone;
        System.out.printf("alone: %d preloaded heartbeats from %d nodes processed in %.1f s after start-up%n",
                processed, nodes, seconds);
        return processed / seconds;
    }

    private static long committedTotal(final Admin admin) throws Exception {
        return admin.listConsumerGroupOffsets(LivenessApp.DEFAULT_APPLICATION_ID).partitionsToOffsetAndMetadata().get()
                .entrySet().stream().filter(e -> e.getKey().topic().equals(TopicCatalog.NODE_HEARTBEAT.name())
                        && e.getValue() != null).mapToLong(e -> e.getValue().offset()).sum();
    }

    /**
     * The sustained rate: the warm app keeps up with heartbeats sent while it runs, the producer sharing its two cores
     * (so this is a lower bound on what the app does alone); from the first send until all are processed.
     */
    private double throughput(final Admin admin, final KafkaProducer<String, Heartbeat> producer) throws Exception {
        final long total = (long) nodes * measuredRounds;
        final long start = System.nanoTime();
        sendRounds(producer, rounds, measuredRounds);
        awaitNoLag(admin);
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("sustained: %d heartbeats from %d nodes sent, consumed and processed in %.1f s%n", total,
                nodes, seconds);
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
    private static double downDetection(final BenchPlane plane, final KafkaProducer<String, Heartbeat> producer)
            throws Exception {
        final String node = "silent-node";
        try (KafkaConsumer<String, NodeLiveness> consumer = new KafkaConsumer<>(plane.client(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "bench-liveness-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                new StringDeserializer(), TopicCatalog.NODE_LIVENESS.valueSerde(plane.registry()).deserializer())) {
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
