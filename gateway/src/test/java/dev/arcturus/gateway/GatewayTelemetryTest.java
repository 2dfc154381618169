package dev.arcturus.gateway;

import static dev.arcturus.gateway.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcturus.avro.RegionProbe;
import dev.arcturus.gateway.api.v1.ProbeOutcome;
import dev.arcturus.gateway.api.v1.ProbeRound;
import dev.arcturus.gateway.api.v1.ProbeSample;
import dev.arcturus.gateway.api.v1.ReportProbesRequest;
import dev.arcturus.gateway.api.v1.ReportSystemInfoRequest;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.SystemInfo;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.testing.SharedPlane;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** Nodes report system info and probe rounds; the gateway checks them and writes the plane's records. */
class GatewayTelemetryTest {
    private final GatewayFixture gateway = GatewayFixture.instance();

    @Test
    void aNodesSystemInfoAndProbesReachTheirTopicsWithRegionsFilledIn() {
        final String node = unique("tele");
        final String peer = unique("peer");
        final String token = gateway.newNode(node, Role.NODE);
        gateway.newNode(peer, Role.NODE);

        gateway.nodes(token).reportSystemInfo(ReportSystemInfoRequest.newBuilder().setInfo(SystemInfo.newBuilder()
                .setNodeId(node).setCpuCores(2).setLogicalCores(4).setCpuUsage(37.5).setMemoryTotal(8L << 30)
                .setMemoryAvailable(6L << 30).setMemoryUsed(2L << 30).setMemoryUsedPercent(25).setHostname("lab")
                .setDiskDevice("/dev/sda1").setDiskTotal(100L << 30).setDiskFree(40L << 30).setDiskUsed(60L << 30)
                .setDiskUsedPercent(60).setLoad1(0.5)).build());
        gateway.nodes(token).reportProbes(ReportProbesRequest.newBuilder().setNodeId(node).addRounds(ProbeRound
                .newBuilder().setTargetNodeId(peer).setTargetIp("10.0.0.1").setTargetPort(50055)
                .setProbeTime(Timestamps.of(Instant.now()))
                .addSamples(ProbeSample.newBuilder().setOutcome(ProbeOutcome.CONNECTED).setRttMicros(812))
                .addSamples(ProbeSample.newBuilder().setOutcome(ProbeOutcome.TIMEOUT))).build());

        final dev.arcturus.avro.SystemInfo info = first(TopicCatalog.NODE_SYSTEM_INFO, node);
        assertThat(info.getLogicalCores()).isEqualTo(4);
        assertThat(info.getCpuUsage()).isEqualTo(37.5);
        assertThat(info.getIp()).isEqualTo("10.0.0.1"); // the registered address when the agent sends none
        assertThat(info.getDiskDevice()).isEqualTo("/dev/sda1");
        final RegionProbe probe = first(TopicCatalog.REGION_PROBE, node);
        assertThat(probe.getSourceRegion()).isEqualTo("eu-west");
        assertThat(probe.getTargetRegion()).isEqualTo("eu-west");
        assertThat(probe.getTargetNodeId()).isEqualTo(peer);
        assertThat(probe.getSamples()).extracting(s -> s.getRttMicros()).containsExactly(812L, null);
    }

    @Test
    void impossibleNumbersAndUnknownTargetsAreRefusedNamingTheField() {
        final String node = unique("tele");
        final String token = gateway.newNode(node, Role.NODE);
        assertInvalid(() -> gateway.nodes(token).reportSystemInfo(ReportSystemInfoRequest.newBuilder().setInfo(
                SystemInfo.newBuilder().setNodeId(node).setLogicalCores(1).setCpuUsage(140)).build()),
                "info.cpu_usage: a percentage from 0 to 100, was 140.0");
        assertInvalid(() -> gateway.nodes(token).reportProbes(ReportProbesRequest.newBuilder().setNodeId(node)
                .addRounds(ProbeRound.newBuilder().setTargetNodeId("nobody").setTargetIp("10.0.0.9")
                        .setTargetPort(50055).setProbeTime(Timestamps.of(Instant.now()))
                        .addSamples(ProbeSample.newBuilder().setOutcome(ProbeOutcome.CONNECTED).setRttMicros(5)))
                .build()), "rounds[0].target_node_id: node 'nobody' is not registered");
        assertInvalid(() -> gateway.nodes(token).reportProbes(ReportProbesRequest.newBuilder().setNodeId(node)
                .addRounds(ProbeRound.newBuilder().setTargetNodeId(node).setTargetIp("10.0.0.9")
                        .setTargetPort(50055).setProbeTime(Timestamps.of(Instant.now()))
                        .addSamples(ProbeSample.newBuilder().setOutcome(ProbeOutcome.CONNECTED)))
                .build()), "rounds[0].samples.rtt_micros: a connected sample takes 1 µs to 60 s, was 0");
    }

    private static void assertInvalid(final Runnable call, final String description) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).isEqualTo(description);
        });
    }

    private static <V extends SpecificRecord> V first(final Topic<V> topic, final String key) {
        final SharedPlane plane = SharedPlane.instance();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, unique("telemetry-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                topic.valueSerde(plane.registryClient()).deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            final List<V> found = new ArrayList<>();
            while (found.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        found.add(r.value());
                    }
                });
            }
            assertThat(found).as("a record for " + key + " on " + topic.name()).isNotEmpty();
            return found.get(0);
        }
    }
}
