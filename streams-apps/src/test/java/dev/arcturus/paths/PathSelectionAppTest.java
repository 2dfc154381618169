package dev.arcturus.paths;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.NodeRole;
import dev.arcturus.avro.PathSelection;
import dev.arcturus.avro.ProbeOutcome;
import dev.arcturus.avro.ProbeSample;
import dev.arcturus.avro.RegionProbe;
import dev.arcturus.avro.RoutedPath;
import dev.arcturus.avro.SystemInfo;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.network.NetworkMetricsApp;
import dev.arcturus.network.NetworkMetricsPolicy;
import dev.arcturus.testing.SampleRecords;
import dev.arcturus.testing.SharedPlane;
import dev.arcturus.testing.SharedPlaneExtension;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
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

/**
 * On the real broker, from raw telemetry to paths: system info and probes go through the network-metrics app into
 * link metrics, and the path-selection app turns them into region-to-origin paths with a last-mile split, node paths
 * and a region-pair path.
 */
@ExtendWith(SharedPlaneExtension.class)
class PathSelectionAppTest {
    private final SharedPlane plane;
    @TempDir
    Path stateDir;

    PathSelectionAppTest(final SharedPlane plane) {
        this.plane = plane;
    }

    @Test
    void probesBecomePathsAndALastMileSplit() throws Exception {
        plane.ensureTopics(TopicCatalog.all());
        final String run = SharedPlane.uniqueName("paths");
        final String edge = run + "-edge";
        final String relay = run + "-relay";
        final String domain = run + ".example";
        final String origin = "198.51.100.7";
        final PlaneEndpoints endpoints = new PlaneEndpoints(plane.bootstrapServers(), plane.registryUrl());
        try (NetworkMetricsApp metrics = NetworkMetricsApp.start(run + "-net", endpoints, stateDir.resolve("n"),
                new NetworkMetricsPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 20, 10, 0.10), Duration.ofSeconds(90));
             PathSelectionApp paths = PathSelectionApp.start(run + "-paths", endpoints, stateDir.resolve("p"),
                     PathSelectionApp.DEFAULT_TICK, Duration.ofSeconds(90));
             KafkaProducer<String, SpecificRecord> producer = producer()) {
            send(producer, TopicCatalog.NODE_REGISTRATION, edge, registration(edge, "10.8.0.1", run + "-A"));
            send(producer, TopicCatalog.NODE_REGISTRATION, relay, registration(relay, "10.8.0.2", run + "-B"));
            send(producer, TopicCatalog.DOMAIN_ORIGIN, domain, DomainOrigin.newBuilder()
                    .setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC())).setDomain(domain)
                    .setOriginIp(origin).build());
            for (final String node : List.of(edge, relay)) {
                final SystemInfo sample = SampleRecords.sample(SystemInfo.class, 5);
                sample.setNodeId(node);
                sample.setCpuUsage(30);
                sample.setLogicalCores(2);
                send(producer, TopicCatalog.NODE_SYSTEM_INFO, node, sample);
            }
            probe(producer, edge, "10.8.0.1", run + "-A", relay, "10.8.0.2", run + "-B", 2_000);
            probe(producer, edge, "10.8.0.1", run + "-A", null, origin, "", 40_000);
            probe(producer, relay, "10.8.0.2", run + "-B", null, origin, "", 5_000);

            // Links arrive one by one: wait until both routes to the origin and the split are there.
            final Map<String, PathSelection> seen = await(selections -> selections.containsKey(run + "-A|" + domain)
                    && selections.get(run + "-A|" + domain).getPaths().size() == 2
                    && !selections.get(run + "-A|" + domain).getLastMileWeights().isEmpty()
                    && selections.containsKey(run + "-A|region:" + run + "-B"));
            final PathSelection toOrigin = seen.get(run + "-A|" + domain);
            assertThat(toOrigin.getPaths()).extracting(RoutedPath::getHops)
                    .containsExactly(List.of(edge, relay, origin), List.of(edge, origin)); // 2 + 5 ms beats 40 ms
            assertThat(toOrigin.getLastMileWeights()).containsOnlyKeys(edge).containsEntry(edge, 100.0);
            assertThat(seen.get("node:" + edge + "|" + domain).getKind()).isEqualTo("NODE_TO_DOMAIN");
            assertThat(seen.get(run + "-A|region:" + run + "-B").getPaths()).extracting(RoutedPath::getHops)
                    .containsExactly(List.of(edge, relay));
        }
    }

    /** Only proxies relay: the relay is one, the edge a measurement node (paths start there). */
    private static NodeRegistration registration(final String node, final String ip, final String region) {
        return NodeRegistration.newBuilder().setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()))
                .setNodeId(node).setIp(ip).setRegion(region)
                .setRole(node.endsWith("relay") ? NodeRole.PROXY : NodeRole.MEASUREMENT)
                .setRegisteredAt(Instant.now()).build();
    }

    private static void probe(final KafkaProducer<String, SpecificRecord> producer, final String source,
                              final String sourceIp, final String sourceRegion, final String target,
                              final String targetIp, final String targetRegion, final long micros) throws Exception {
        send(producer, TopicCatalog.REGION_PROBE, source, RegionProbe.newBuilder()
                .setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC())).setSourceNodeId(source)
                .setSourceIp(sourceIp).setSourceRegion(sourceRegion).setTargetNodeId(target).setTargetIp(targetIp)
                .setTargetRegion(targetRegion).setProbeTime(Instant.now())
                .setSamples(List.of(new ProbeSample(ProbeOutcome.CONNECTED, micros),
                        new ProbeSample(ProbeOutcome.CONNECTED, micros))).build());
    }

    private static <V extends SpecificRecord> void send(final KafkaProducer<String, SpecificRecord> producer,
                                                        final Topic<V> topic, final String key, final V value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
    }

    private KafkaProducer<String, SpecificRecord> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers()),
                new StringSerializer(), (topic, value) -> serialize(topic, value));
    }

    @SuppressWarnings("unchecked")
    private byte[] serialize(final String topic, final SpecificRecord value) {
        final Topic<SpecificRecord> descriptor = (Topic<SpecificRecord>) TopicCatalog.all().stream()
                .filter(t -> t.name().equals(topic)).findFirst().orElseThrow();
        return descriptor.valueSerde(plane.registryClient()).serializer().serialize(topic, value);
    }

    private Map<String, PathSelection> await(final Predicate<Map<String, PathSelection>> done) {
        final Map<String, PathSelection> latest = new HashMap<>();
        try (KafkaConsumer<String, PathSelection> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, SharedPlane.uniqueName("paths-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                TopicCatalog.PATH_SELECTION.valueSerde(plane.registryClient()).deserializer())) {
            consumer.subscribe(List.of(TopicCatalog.PATH_SELECTION.name()));
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !done.test(latest)) {
                for (final ConsumerRecord<String, PathSelection> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        latest.put(record.key(), record.value());
                    }
                }
            }
        }
        assertThat(done.test(latest)).as("selections seen: %s", latest.keySet()).isTrue();
        return latest;
    }
}
