package dev.arcturus.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.NetworkMetric;
import dev.arcturus.avro.ProbeOutcome;
import dev.arcturus.avro.ProbeSample;
import dev.arcturus.avro.RegionProbe;
import dev.arcturus.avro.SystemInfo;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.testing.SampleRecords;
import dev.arcturus.testing.SharedPlane;
import dev.arcturus.testing.SharedPlaneExtension;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

/** On the real broker: CPU samples travel through the global store and probes become a scored link metric. */
@ExtendWith(SharedPlaneExtension.class)
class NetworkMetricsAppTest {
    private final SharedPlane plane;
    @TempDir
    Path stateDir;

    NetworkMetricsAppTest(final SharedPlane plane) {
        this.plane = plane;
    }

    @Test
    void shouldPublishTheLinkMetricOfAProbedPair() throws Exception {
        plane.ensureTopics(TopicCatalog.all());
        final String run = SharedPlane.uniqueName("net");
        final NetworkMetricsPolicy fast = new NetworkMetricsPolicy(Duration.ofSeconds(2), Duration.ofSeconds(30), 20, 10, 0.10);
        try (NetworkMetricsApp app = NetworkMetricsApp.start(run, new PlaneEndpoints(plane.bootstrapServers(),
                plane.registryUrl()), stateDir, fast, Duration.ofSeconds(90))) {
            final Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers());
            try (KafkaProducer<String, SystemInfo> info = new KafkaProducer<>(props, new StringSerializer(),
                    TopicCatalog.NODE_SYSTEM_INFO.valueSerde(plane.registryClient()).serializer());
                 KafkaProducer<String, RegionProbe> probes = new KafkaProducer<>(props, new StringSerializer(),
                         TopicCatalog.REGION_PROBE.valueSerde(plane.registryClient()).serializer())) {
                final SystemInfo sample = SampleRecords.sample(SystemInfo.class, 3);
                sample.setNodeId(run + "-dst");
                sample.setCpuUsage(75);
                sample.setLogicalCores(2);
                info.send(new ProducerRecord<>(TopicCatalog.NODE_SYSTEM_INFO.name(), run + "-dst", sample)).get();
                probes.send(new ProducerRecord<>(TopicCatalog.REGION_PROBE.name(), run + "-src", RegionProbe.newBuilder()
                        .setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC())).setSourceNodeId(run + "-src")
                        .setSourceIp("10.9.0.1").setSourceRegion("EU").setTargetNodeId(run + "-dst").setTargetIp("10.9.0.2")
                        .setTargetRegion("US").setProbeTime(Instant.now())
                        .setSamples(List.of(new ProbeSample(ProbeOutcome.CONNECTED, 2_500L))).build())).get();
            }
            final NetworkMetric metric = awaitMetric(run + "-src|" + run + "-dst");
            assertThat(metric.getLinkLatencyMs()).isEqualTo(2.5);
            assertThat(metric.getCpuMean()).isEqualTo(75.0);
            assertThat(metric.getCapacity()).isEqualTo(50);
        }
    }

    private NetworkMetric awaitMetric(final String key) {
        try (KafkaConsumer<String, NetworkMetric> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, SharedPlane.uniqueName("metric-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                TopicCatalog.NETWORK_METRIC.valueSerde(plane.registryClient()).deserializer())) {
            consumer.subscribe(List.of(TopicCatalog.NETWORK_METRIC.name()));
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (final ConsumerRecord<String, NetworkMetric> record : consumer.poll(Duration.ofMillis(200))) {
                    // The first cycle may run before the CPU stats reach the global store: wait for a scored one.
                    if (key.equals(record.key()) && record.value() != null && record.value().getCpuMean() > 0) {
                        return record.value();
                    }
                }
            }
        }
        throw new AssertionError("no metric for " + key + " within 60 s");
    }
}
