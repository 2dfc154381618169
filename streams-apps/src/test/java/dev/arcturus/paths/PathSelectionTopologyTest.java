package dev.arcturus.paths;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.GlobalConfig;
import dev.arcturus.avro.NetworkMetric;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.NodeRole;
import dev.arcturus.avro.PathSelection;
import dev.arcturus.avro.RoutedPath;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.registry.client.InMemorySchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.streams.TestDrivers;
import dev.arcturus.testing.DriverTopics;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

class PathSelectionTopologyTest {
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, java.time.ZoneOffset.UTC);
    private static final String ORIGIN = "203.0.113.9";

    /** A registry in this process: the topology test needs no broker and no registry server. */
    private final SchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, NetworkMetric> metrics;
    private TestInputTopic<String, GlobalConfig> config;
    private TestOutputTopic<String, PathSelection> selections;


    @BeforeEach
    void start() {
        driver = TestDrivers.create(PathSelectionTopology.build(registry, Duration.ofSeconds(1)),
                stateDir, "paths-ttd", T0);
        metrics = DriverTopics.input(driver, TopicCatalog.NETWORK_METRIC, registry);
        config = DriverTopics.input(driver, TopicCatalog.GLOBAL_CONFIG, registry);
        selections = DriverTopics.output(driver, TopicCatalog.PATH_SELECTION, registry);
        final TestInputTopic<String, NodeRegistration> nodes = DriverTopics.input(driver, TopicCatalog.NODE_REGISTRATION, registry);
        final TestInputTopic<String, DomainOrigin> origins = DriverTopics.input(driver, TopicCatalog.DOMAIN_ORIGIN, registry);
        for (final String[] node : new String[][] {{"a", "EU"}, {"b", "EU"}, {"c", "US"}}) {
            nodes.pipeInput(node[0], NodeRegistration.newBuilder().setMetadata(EventMetadatas.newMetadata("test", CLOCK))
                    .setNodeId(node[0]).setIp("10.0.0.1").setRegion(node[1]).setRole(NodeRole.PROXY).setRegisteredAt(T0).build());
        }
        origins.pipeInput("example.com", DomainOrigin.newBuilder().setMetadata(EventMetadatas.newMetadata("test", CLOCK))
                .setDomain("example.com").setOriginIp(ORIGIN).build());
        link("a", null, 10);
        link("a", "c", 1);
        link("c", null, 2);
        link("b", null, 20);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldSelectTheKBestPathsFromEachRegionToEachDomainsOrigin() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        final Map<String, PathSelection> out = latest();

        assertThat(hops(out.get("EU|example.com"))).containsExactly(List.of("a", "c", ORIGIN), List.of("a", ORIGIN));
        assertThat(out.get("EU|example.com").getPaths().get(0).getCost()).isEqualTo(3.0);
        assertThat(out.get("EU|example.com").getPaths().get(0).getLatencyMs()).isEqualTo(3.0);
        assertThat(hops(out.get("US|example.com"))).containsExactly(List.of("c", ORIGIN));
        assertThat(out.get("node:a|example.com").getKind()).isEqualTo("NODE_TO_DOMAIN");
        assertThat(hops(out.get("node:a|example.com"))).containsExactly(List.of("a", "c", ORIGIN), List.of("a", ORIGIN));
        assertThat(hops(out.get("node:b|example.com"))).containsExactly(List.of("b", ORIGIN));
        final PathSelection europeToUs = out.get("EU|region:US");
        assertThat(europeToUs.getKind()).isEqualTo("REGION_TO_REGION");
        assertThat(europeToUs.getDestinationRegion()).isEqualTo("US");
        assertThat(hops(europeToUs)).containsExactly(List.of("a", "c"));
        assertThat(europeToUs.getPaths().get(0).getCost()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(out).as("nothing links US to EU").doesNotContainKey("US|region:EU");
    }

    @Test
    void shouldApplyARoutingPolicyChangeWithoutARestart() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        selections.readKeyValuesToList();

        config.pipeInput("global", GlobalConfig.newBuilder().setMetadata(EventMetadatas.newMetadata("test", CLOCK))
                .setVersion(2).setSettings(Map.of(RoutingPolicy.K, "1")).build());
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        assertThat(hops(latest().get("EU|example.com"))).containsExactly(List.of("a", "c", ORIGIN));
    }

    @Test
    void shouldRerouteWhenALinkGetsWorseAndStayQuietWhenNothingChanged() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        selections.readKeyValuesToList();

        driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertThat(selections.isEmpty()).as("no input, no change, no output").isTrue();

        link("c", null, 50);
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        final Map<String, PathSelection> out = latest();
        assertThat(hops(out.get("EU|example.com")).get(0)).isEqualTo(List.of("a", ORIGIN));
        assertThat(out).doesNotContainKey("XX|example.com");
    }

    @Test
    void shouldAddACarouselMultipathSplitWhenThePolicyAsksForIt() {
        config.pipeInput("global", GlobalConfig.newBuilder().setMetadata(EventMetadatas.newMetadata("test", CLOCK))
                .setVersion(2).setSettings(Map.of(RoutingPolicy.ALGORITHM, RoutingPolicy.CAROUSEL)).build());
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        final PathSelection eu = latest().get("EU|example.com");
        assertThat(eu.getAlgorithm()).isEqualTo("carousel");
        assertThat(eu.getMultipath()).extracting(dev.arcturus.avro.FlowPath::getHops).containsExactlyInAnyOrder(
                List.of("a", ORIGIN), List.of("a", "c", ORIGIN), List.of("b", ORIGIN));
        assertThat(eu.getMultipath()).allSatisfy(p -> assertThat(p.getFlow()).isPositive());
        assertThat(eu.getPaths()).as("the k best paths are still there").hasSize(2);
    }

    @Test
    void shouldSplitTheLastMileOverTheRegionsMeasuredNodesOnly() {
        final org.apache.kafka.streams.TestInputTopic<String, dev.arcturus.avro.NodeCpuStats> cpu = DriverTopics.input(
                driver, TopicCatalog.NODE_CPU_STATS, registry);
        for (final String[] node : new String[][] {{"a", "90"}, {"b", "10"}}) {
            cpu.pipeInput(node[0], dev.arcturus.avro.NodeCpuStats.newBuilder()
                    .setMetadata(EventMetadatas.newMetadata("test", CLOCK)).setNodeId(node[0]).setIp("10.0.0.1")
                    .setCpuMean(Double.parseDouble(node[1])).setCpuVariance(0).setLogicalCores(1).setUpdatedAt(T0)
                    .build());
        }
        link("b", null, 10); // a and b now equally far from the origin; a is busy
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        final Map<String, PathSelection> out = latest();
        final Map<String, Double> weights = out.get("EU|example.com").getLastMileWeights();
        assertThat(weights).containsOnlyKeys("a", "b");
        assertThat(weights.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(100.0);
        assertThat(weights.get("b")).isGreaterThan(weights.get("a"));
        assertThat(out.get("US|example.com").getLastMileWeights()).as("c has no CPU stats: left out, not guessed")
                .isEmpty();
    }

    private Map<String, PathSelection> latest() {
        final Map<String, PathSelection> byKey = new HashMap<>();
        selections.readKeyValuesToList().forEach(kv -> byKey.put(kv.key, kv.value));
        return byKey;
    }

    private static List<List<String>> hops(final PathSelection selection) {
        return selection.getPaths().stream().map(RoutedPath::getHops).toList();
    }

    private void link(final String from, final String toNode, final double score) {
        final String target = toNode == null ? ORIGIN : toNode;
        metrics.pipeInput(from + "|" + target, NetworkMetric.newBuilder()
                .setMetadata(EventMetadatas.newMetadata("test", CLOCK)).setSourceIp("10.0.0.1").setDestinationIp(
                        toNode == null ? ORIGIN : "10.0.0.2").setSourceNodeId(from).setDestinationNodeId(toNode)
                .setLinkLatencyMs(score).setCpuMean(0).setCpuVariance(0).setVirtualQueueCpuMean(0)
                .setVirtualQueueCpuVariance(0).setLinkScore(score).setUpdatedAt(T0).build());
    }
}
