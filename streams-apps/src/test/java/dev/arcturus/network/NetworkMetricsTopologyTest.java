package dev.arcturus.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arcturus.avro.NetworkMetric;
import dev.arcturus.avro.ProbeOutcome;
import dev.arcturus.avro.ProbeSample;
import dev.arcturus.avro.RegionProbe;
import dev.arcturus.avro.SystemInfo;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.registry.client.InMemorySchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.streams.TestDrivers;
import dev.arcturus.testing.DriverTopics;
import dev.arcturus.testing.SampleRecords;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkMetricsTopologyTest {
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

    /** A registry in this process: the topology test needs no broker and no registry server. */
    private final SchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, SystemInfo> systemInfo;
    private TestInputTopic<String, RegionProbe> probes;
    private TestOutputTopic<String, NetworkMetric> metrics;


    @BeforeEach
    void start() {
        driver = TestDrivers.create(NetworkMetricsTopology.build(registry, NetworkMetricsPolicy.defaults()),
                stateDir, "metrics-ttd", T0);
        systemInfo = DriverTopics.input(driver, TopicCatalog.NODE_SYSTEM_INFO, registry);
        probes = DriverTopics.input(driver, TopicCatalog.REGION_PROBE, registry);
        metrics = DriverTopics.output(driver, TopicCatalog.NETWORK_METRIC, registry);
        cpu("a", 20, 20, 20);
        cpu("b", 90, 90, 90);
        cpu("c", 60, 60, 60);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldScoreALinkWithTheQueuesBeforeTheUpdateAndMoveThemOncePerCycle() {
        probe("a", "b", "10.0.0.2", 1500L, 1700L, null);

        driver.advanceWallClockTime(Duration.ofSeconds(60));
        final NetworkMetric first = latest().get("a|b");

        assertThat(first.getLinkLatencyMs()).isEqualTo(1.6);
        assertThat(first.getCpuMean()).isEqualTo(90.0);
        assertThat(first.getCpuVariance()).isZero();
        assertThat(first.getLinkScore()).as("queues start at 0: delay only").isEqualTo(1.6);
        assertThat(first.getVirtualQueueCpuMean()).as("b is the most loaded above 50%: +1").isEqualTo(1.0);
        assertThat(first.getVirtualQueueCpuVariance()).as("lowest variance: -1, floored at 0").isZero();
        assertThat(first.getCapacity()).as("(100 - 90) x logical cores").isEqualTo(10 * 4);
        assertThat(first.getLossRatio()).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(first.getJitterMs()).as("|1.7 - 1.5| ms between the two connects").isCloseTo(0.2, within(1e-9));

        probe("a", "b", "10.0.0.2", 1600L);
        driver.advanceWallClockTime(Duration.ofSeconds(60));
        final NetworkMetric second = latest().get("a|b");

        assertThat(second.getLinkScore()).isCloseTo(1.6 + 1.0 * 1.0, within(1e-9));
        assertThat(second.getVirtualQueueCpuMean()).isEqualTo(2.0);
    }

    @Test
    void shouldPublishANewLinkAndAMovedLatencyAtOnceButMoveTheQueuesOnlyInTheCycle() {
        probe("a", "b", "10.0.0.2", 10_000L);
        final NetworkMetric first = latest().get("a|b");
        assertThat(first).as("a new link, before any cycle").isNotNull();
        assertThat(first.getLinkLatencyMs()).isEqualTo(10.0);
        assertThat(first.getVirtualQueueCpuMean()).as("queues untouched between cycles").isZero();

        probe("a", "b", "10.0.0.2", 10_500L);
        assertThat(latest()).as("a 5 % move waits for the cycle").isEmpty();

        for (int i = 0; i < 3; i++) {
            probe("a", "b", "10.0.0.2", 2_000L);
        }
        final NetworkMetric moved = latest().get("a|b");
        assertThat(moved).as("a link several times faster is published at once").isNotNull();
        assertThat(moved.getLinkLatencyMs()).isLessThan(10.0);
        assertThat(moved.getVirtualQueueCpuMean()).isZero();

        driver.advanceWallClockTime(Duration.ofSeconds(60));
        assertThat(latest().get("a|b").getVirtualQueueCpuMean()).as("the cycle moves the queue once").isEqualTo(1.0);
    }

    @Test
    void shouldScoreADomainOriginByDelayAlone() {
        probe("a", null, "203.0.113.9", 800L, 900L, 700L);

        driver.advanceWallClockTime(Duration.ofSeconds(60));
        final NetworkMetric origin = latest().get("a|203.0.113.9");

        assertThat(origin.getLinkScore()).isEqualTo(0.8);
        assertThat(origin.getDestinationNodeId()).isNull();
        assertThat(origin.getCapacity()).isNull();
    }

    @Test
    void shouldDropALinkWithoutFreshSamplesInsteadOfReusingItForEver() {
        probe("a", "c", "10.0.0.3", 1000L);
        driver.advanceWallClockTime(Duration.ofSeconds(60));
        metrics.readKeyValuesToList();

        for (int i = 0; i < 3; i++) {
            driver.advanceWallClockTime(Duration.ofSeconds(60));
        }

        final Map<String, NetworkMetric> out = latest();
        assertThat(out).containsKey("a|c");
        assertThat(out.get("a|c")).as("tombstoned").isNull();
    }

    private Map<String, NetworkMetric> latest() {
        final Map<String, NetworkMetric> byKey = new HashMap<>();
        metrics.readKeyValuesToList().forEach(kv -> byKey.put(kv.key, kv.value));
        return byKey;
    }

    private void cpu(final String node, final double... samples) {
        for (final double sample : samples) {
            final SystemInfo info = SampleRecords.sample(SystemInfo.class, node.hashCode());
            info.setNodeId(node);
            info.setCpuUsage(sample);
            info.setLogicalCores(4);
            systemInfo.pipeInput(node, info);
        }
    }

    private void probe(final String source, final String targetNode, final String targetIp, final Long... rttMicros) {
        final List<ProbeSample> samples = Arrays.stream(rttMicros).map(rtt -> rtt == null
                ? new ProbeSample(ProbeOutcome.TIMEOUT, null) : new ProbeSample(ProbeOutcome.CONNECTED, rtt)).toList();
        probes.pipeInput(source, RegionProbe.newBuilder().setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()))
                .setSourceNodeId(source).setSourceIp("10.0.0.1").setSourceRegion("EU").setTargetNodeId(targetNode)
                .setTargetIp(targetIp).setTargetRegion("EU").setTargetPort(50051).setProbeTime(T0).setSamples(samples)
                .build());
    }
}
