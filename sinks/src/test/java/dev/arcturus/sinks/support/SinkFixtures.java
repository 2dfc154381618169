package dev.arcturus.sinks.support;

import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.ProbeOutcome;
import dev.arcturus.avro.ProbeSample;
import dev.arcturus.avro.RegionProbe;
import dev.arcturus.avro.SystemInfo;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.testing.SampleRecords;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Plausible records for the sink tests: every field set, counters non-negative as a real node reports them. */
public final class SinkFixtures {

    private SinkFixtures() {
    }

    public static SystemInfo systemInfo(final String nodeId, final Instant at, final long seed) {
        final SystemInfo info = SampleRecords.sample(SystemInfo.class, seed);
        info.setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()));
        info.setNodeId(nodeId);
        info.setIp("2001:db8::" + Long.toHexString(seed & 0xffff));
        info.setMemoryTotal(16L << 30);
        info.setMemoryAvailable(8L << 30);
        info.setMemoryUsed(8L << 30);
        info.setDiskTotal(500L << 30);
        info.setDiskFree(200L << 30);
        info.setDiskUsed(300L << 30);
        info.setNetworkBytesSent(seed * 1_000);
        info.setNetworkBytesRecv(seed * 2_000);
        info.setNetworkPacketsSent(seed);
        info.setNetworkPacketsRecv(seed * 2);
        info.setUptimeSeconds(3_600 + seed);
        info.setTimestamp(at);
        return info;
    }

    public static RegionProbe probe(final String sourceNodeId, final String targetNodeId, final Instant at,
                                    final List<ProbeSample> samples) {
        return RegionProbe.newBuilder()
                .setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()))
                .setSourceNodeId(sourceNodeId).setSourceIp("10.0.0.1").setSourceRegion("eu-west")
                .setTargetNodeId(targetNodeId).setTargetIp("10.0.0.2").setTargetRegion("us-east").setTargetPort(443)
                .setProbeTime(at).setSamples(samples).build();
    }

    public static ProbeSample connected(final long rttMicros) {
        return new ProbeSample(ProbeOutcome.CONNECTED, rttMicros);
    }

    public static ProbeSample lost() {
        return new ProbeSample(ProbeOutcome.TIMEOUT, null);
    }

    public static NodeRegistration registration(final String nodeId, final String ip, final String region) {
        final NodeRegistration node = SampleRecords.sample(NodeRegistration.class, nodeId.hashCode());
        node.setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()));
        node.setNodeId(nodeId);
        node.setIp(ip);
        node.setRegion(region);
        node.setHostname(nodeId + ".example.net");
        node.setRegisteredAt(Instant.parse("2026-11-01T10:00:00.123Z"));
        return node;
    }
}
