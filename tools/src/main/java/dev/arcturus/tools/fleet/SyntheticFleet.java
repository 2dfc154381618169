package dev.arcturus.tools.fleet;

import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.NodeRole;
import dev.arcturus.avro.SystemInfo;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.topics.TopicCatalog;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The made-up fleet benchmarks and fault scenarios load the plane with: nodes {@code node-0}, {@code node-1}, … in ten
 * regions, registered and reporting as a real node would. {@code source} names the tool in each record's metadata.
 */
public final class SyntheticFleet {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final int REGIONS = 10;

    private SyntheticFleet() {
    }

    public static String nodeId(final long i) {
        return "node-" + i;
    }

    /** Registers nodes 0 … {@code count}-1 (regions R0–R9) and returns once the broker has acknowledged them all. */
    public static void register(final Producer<String, ? super NodeRegistration> producer, final String source,
                                final int count) {
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(TopicCatalog.NODE_REGISTRATION.name(), nodeId(i),
                    registration(source, nodeId(i), "R" + i % REGIONS)));
        }
        producer.flush();
    }

    public static NodeRegistration registration(final String source, final String nodeId, final String region) {
        return NodeRegistration.newBuilder().setMetadata(EventMetadatas.newMetadata(source, CLOCK))
                .setNodeId(nodeId).setIp(address(nodeId)).setRegion(region).setRole(NodeRole.MEASUREMENT)
                .setRegisteredAt(CLOCK.instant()).build();
    }

    /**
     * A documentation-range IPv6 address of the node's own (node_region's ip is UNIQUE, as seed 000 has it): 64 bits
     * of a hash of the id, so thousands of synthetic nodes do not collide.
     */
    static String address(final String nodeId) {
        final java.util.UUID hash = java.util.UUID.nameUUIDFromBytes(nodeId.getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        final long bits = hash.getMostSignificantBits();
        return String.format("2001:db8:%x:%x:%x:%x::1", (bits >>> 48) & 0xffff, (bits >>> 32) & 0xffff,
                (bits >>> 16) & 0xffff, bits & 0xffff);
    }

    /** A full system-info report (every column of the seed's {@code system_info}) with the given CPU usage. */
    public static SystemInfo systemInfo(final String source, final String nodeId, final Instant at, final double cpu) {
        return SystemInfo.newBuilder().setMetadata(EventMetadatas.newMetadata(source, CLOCK)).setNodeId(nodeId)
                .setIp("10.1.2.3").setCpuCores(8).setLogicalCores(16).setCpuModelName("AMD EPYC 7B13").setCpuMhz(2450)
                .setCpuCacheSize(512).setCpuUsage(cpu).setMemoryTotal(64L << 30).setMemoryAvailable(40L << 30)
                .setMemoryUsed(24L << 30).setMemoryUsedPercent(37.5).setDiskDevice("/dev/nvme0n1p1")
                .setDiskTotal(1L << 40).setDiskFree(1L << 39).setDiskUsed(1L << 39).setDiskUsedPercent(50)
                .setNetworkInterfaceName("eth0").setNetworkBytesSent(123_456_789L).setNetworkBytesRecv(987_654_321L)
                .setNetworkPacketsSent(123_456L).setNetworkPacketsRecv(654_321L).setHostname(nodeId + ".lab")
                .setOs("linux").setPlatform("debian").setPlatformVersion("12").setUptimeSeconds(86_400).setLoad1(1.5)
                .setLoad5(1.2).setLoad15(0.9).setTimestamp(at).build();
    }
}
