package dev.arcturus.gateway.api;

import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.ProbeOutcome;
import dev.arcturus.avro.ProbeSample;
import dev.arcturus.avro.RegionProbe;
import dev.arcturus.avro.SystemInfo;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.gateway.api.v1.ProbeRound;
import dev.arcturus.gateway.api.v1.ReportProbesRequest;
import dev.arcturus.gateway.api.v1.ReportSystemInfoRequest;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.topics.TopicCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's telemetry reports (system info and probe rounds), checked and turned into the plane's records. A node
 * reports only as itself; every number is range-checked, so one broken agent can't poison the network metrics.
 */
final class TelemetryReports {
    static final int MAX_ROUNDS = 2_000;
    static final int MAX_SAMPLES = 20;
    private static final long MAX_RTT_MICROS = 60_000_000;

    private final Plane plane;

    TelemetryReports(final Plane plane) {
        this.plane = plane;
    }

    int systemInfo(final NodeRegistration node, final ReportSystemInfoRequest request) {
        final var info = request.getInfo();
        percent("info.cpu_usage", info.getCpuUsage());
        percent("info.memory_used_percent", info.getMemoryUsedPercent());
        percent("info.disk_used_percent", info.getDiskUsedPercent());
        for (final long value : new long[] {info.getMemoryTotal(), info.getMemoryAvailable(), info.getMemoryUsed(),
                info.getDiskTotal(), info.getDiskFree(), info.getDiskUsed(), info.getNetworkBytesSent(),
                info.getNetworkBytesRecv(), info.getNetworkPacketsSent(), info.getNetworkPacketsRecv(),
                info.getUptimeSeconds(), info.getCpuCores(), info.getLogicalCores(), info.getCpuCacheSize()}) {
            if (value < 0) {
                throw Requests.invalid("info", "sizes, counters and core counts must not be negative");
            }
        }
        if (info.getLogicalCores() < 1) {
            throw Requests.invalid("info.logical_cores", "at least 1, was " + info.getLogicalCores());
        }
        final Instant at = info.hasTimestamp() ? Timestamps.instant(info.getTimestamp()) : plane.clock().instant();
        plane.writer().send(TopicCatalog.NODE_SYSTEM_INFO, node.getNodeId(), SystemInfo.newBuilder()
                .setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock())).setNodeId(node.getNodeId())
                .setIp(info.getIp().isEmpty() ? node.getIp() : info.getIp())
                .setCpuCores(info.getCpuCores()).setLogicalCores(info.getLogicalCores())
                .setCpuModelName(info.getCpuModelName()).setCpuMhz(info.getCpuMhz())
                .setCpuCacheSize(info.getCpuCacheSize()).setCpuUsage(info.getCpuUsage())
                .setMemoryTotal(info.getMemoryTotal()).setMemoryAvailable(info.getMemoryAvailable())
                .setMemoryUsed(info.getMemoryUsed()).setMemoryUsedPercent(info.getMemoryUsedPercent())
                .setDiskDevice(info.getDiskDevice()).setDiskTotal(info.getDiskTotal()).setDiskFree(info.getDiskFree())
                .setDiskUsed(info.getDiskUsed()).setDiskUsedPercent(info.getDiskUsedPercent())
                .setNetworkInterfaceName(info.getNetworkInterfaceName()).setNetworkBytesSent(info.getNetworkBytesSent())
                .setNetworkBytesRecv(info.getNetworkBytesRecv()).setNetworkPacketsSent(info.getNetworkPacketsSent())
                .setNetworkPacketsRecv(info.getNetworkPacketsRecv()).setHostname(info.getHostname())
                .setOs(info.getOs()).setPlatform(info.getPlatform()).setPlatformVersion(info.getPlatformVersion())
                .setUptimeSeconds(info.getUptimeSeconds()).setLoad1(info.getLoad1()).setLoad5(info.getLoad5())
                .setLoad15(info.getLoad15()).setTimestamp(at).build());
        return 1;
    }

    int probes(final NodeRegistration source, final ReportProbesRequest request) {
        if (request.getRoundsCount() > MAX_ROUNDS) {
            throw Requests.invalid("rounds", "at most " + MAX_ROUNDS + " per report, was " + request.getRoundsCount());
        }
        final List<RegionProbe> probes = new ArrayList<>(request.getRoundsCount());
        for (int i = 0; i < request.getRoundsCount(); i++) {
            probes.add(probe(source, request.getRounds(i), "rounds[" + i + "]"));
        }
        for (final RegionProbe probe : probes) { // all checked first: a report is taken whole or not at all
            plane.writer().send(TopicCatalog.REGION_PROBE, source.getNodeId(), probe);
        }
        return probes.size();
    }

    private RegionProbe probe(final NodeRegistration source, final ProbeRound round, final String field) {
        if (round.getSamplesCount() < 1 || round.getSamplesCount() > MAX_SAMPLES) {
            throw Requests.invalid(field + ".samples", "1 to " + MAX_SAMPLES + " samples, was "
                    + round.getSamplesCount());
        }
        if (round.getTargetPort() < 1 || round.getTargetPort() > 65_535) {
            throw Requests.invalid(field + ".target_port", "1 to 65535, was " + round.getTargetPort());
        }
        if (!round.hasProbeTime()) {
            throw Requests.invalid(field + ".probe_time", "required");
        }
        final String targetRegion;
        final String targetNode;
        if (!round.getTargetNodeId().isEmpty()) {
            targetNode = round.getTargetNodeId();
            targetRegion = plane.view().get(TopicCatalog.NODE_REGISTRATION, targetNode)
                    .map(NodeRegistration::getRegion)
                    .orElseThrow(() -> Requests.invalid(field + ".target_node_id", "node '" + targetNode
                            + "' is not registered"));
        } else if (!round.getTargetDomain().isEmpty()) {
            targetNode = null;
            targetRegion = "";
            if (plane.view().get(TopicCatalog.DOMAIN_ORIGIN, round.getTargetDomain()).isEmpty()) {
                throw Requests.invalid(field + ".target_domain", "no origin is known for '"
                        + round.getTargetDomain() + "'");
            }
        } else {
            throw Requests.invalid(field, "target_node_id or target_domain is required");
        }
        final List<ProbeSample> samples = new ArrayList<>(round.getSamplesCount());
        for (final var sample : round.getSamplesList()) {
            samples.add(sample(sample, field));
        }
        return RegionProbe.newBuilder().setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock()))
                .setSourceNodeId(source.getNodeId()).setSourceIp(source.getIp()).setSourceRegion(source.getRegion())
                .setTargetNodeId(targetNode).setTargetIp(Requests.requireText(field + ".target_ip", round.getTargetIp()))
                .setTargetRegion(targetRegion).setTargetPort(round.getTargetPort())
                .setProbeTime(Timestamps.instant(round.getProbeTime())).setSamples(samples).build();
    }

    private static ProbeSample sample(final dev.arcturus.gateway.api.v1.ProbeSample sample, final String field) {
        final ProbeOutcome outcome = switch (sample.getOutcome()) {
            case CONNECTED -> ProbeOutcome.CONNECTED;
            case TIMEOUT -> ProbeOutcome.TIMEOUT;
            case REFUSED -> ProbeOutcome.REFUSED;
            case UNREACHABLE -> ProbeOutcome.UNREACHABLE;
            default -> throw Requests.invalid(field + ".samples.outcome", "CONNECTED, TIMEOUT, REFUSED or UNREACHABLE");
        };
        if (outcome == ProbeOutcome.CONNECTED
                && (sample.getRttMicros() <= 0 || sample.getRttMicros() > MAX_RTT_MICROS)) {
            throw Requests.invalid(field + ".samples.rtt_micros", "a connected sample takes 1 µs to 60 s, was "
                    + sample.getRttMicros());
        }
        return ProbeSample.newBuilder().setOutcome(outcome)
                .setRttMicros(outcome == ProbeOutcome.CONNECTED ? sample.getRttMicros() : null).build();
    }

    private static void percent(final String field, final double value) {
        if (!(value >= 0 && value <= 100)) {
            throw Requests.invalid(field, "a percentage from 0 to 100, was " + value);
        }
    }
}
