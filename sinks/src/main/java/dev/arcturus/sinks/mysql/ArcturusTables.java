package dev.arcturus.sinks.mysql;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.NetworkMetric;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.ProbeOutcome;
import dev.arcturus.avro.ProbeSample;
import dev.arcturus.avro.RegionProbe;
import dev.arcturus.avro.SystemInfo;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * How each topic maps onto the seed's five tables (see {@code db/migration/mysql/V1__arcturus_tables.sql}).
 * Registrations, link metrics and domain origins are state (upsert by key, tombstone deletes); system info and probe
 * rounds are samples (append, idempotent by event id).
 */
final class ArcturusTables {
    private static final DateTimeFormatter UTC_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private ArcturusTables() {
    }

    static List<TableWriter> forTopics(final MySqlTopics topics) {
        return List.of(nodeRegion(topics.registrations().name()), systemInfo(topics.systemInfo().name()),
                regionProbeInfo(topics.probes().name()), networkMetrics(topics.metrics().name()),
                domainOrigin(topics.origins().name()));
    }

    static TableWriter nodeRegion(final String topic) {
        return new NodeRegionTable(topic);
    }

    static TableWriter systemInfo(final String topic) {
        return new AppendTable<>(topic, SystemInfo.class, """
                INSERT INTO system_info (event_id, node_id, ip, cpu_cores, logical_cores, cpu_model_name, cpu_mhz,
                  cpu_cache_size, cpu_usage, memory_total, memory_available, memory_used, memory_used_percent,
                  disk_device, disk_total, disk_free, disk_used, disk_used_percent, network_interface_name,
                  network_bytes_sent, network_bytes_recv, network_packets_sent, network_packets_recv, hostname, os,
                  platform, platform_version, uptime, load1, load5, load15, timestamp)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE event_id = event_id""", ArcturusTables::bindSystemInfo);
    }

    private static void bindSystemInfo(final PreparedStatement s, final String key, final SystemInfo v)
            throws SQLException {
        int i = 0;
        s.setString(++i, v.getMetadata().getEventId().toString());
        s.setString(++i, v.getNodeId());
        s.setString(++i, v.getIp());
        s.setInt(++i, v.getCpuCores());
        s.setInt(++i, v.getLogicalCores());
        s.setString(++i, v.getCpuModelName());
        s.setDouble(++i, v.getCpuMhz());
        s.setInt(++i, v.getCpuCacheSize());
        s.setDouble(++i, v.getCpuUsage());
        s.setLong(++i, v.getMemoryTotal());
        s.setLong(++i, v.getMemoryAvailable());
        s.setLong(++i, v.getMemoryUsed());
        s.setDouble(++i, v.getMemoryUsedPercent());
        s.setString(++i, v.getDiskDevice());
        s.setLong(++i, v.getDiskTotal());
        s.setLong(++i, v.getDiskFree());
        s.setLong(++i, v.getDiskUsed());
        s.setDouble(++i, v.getDiskUsedPercent());
        s.setString(++i, v.getNetworkInterfaceName());
        s.setLong(++i, v.getNetworkBytesSent());
        s.setLong(++i, v.getNetworkBytesRecv());
        s.setLong(++i, v.getNetworkPacketsSent());
        s.setLong(++i, v.getNetworkPacketsRecv());
        s.setString(++i, v.getHostname());
        s.setString(++i, v.getOs());
        s.setString(++i, v.getPlatform());
        s.setString(++i, v.getPlatformVersion());
        s.setLong(++i, v.getUptimeSeconds());
        s.setDouble(++i, v.getLoad1());
        s.setDouble(++i, v.getLoad5());
        s.setDouble(++i, v.getLoad15());
        s.setString(++i, utc(v.getTimestamp()));
    }

    static TableWriter regionProbeInfo(final String topic) {
        return new AppendTable<>(topic, RegionProbe.class, """
                INSERT INTO region_probe_info (event_id, source_node_id, source_ip, source_region, target_node_id,
                  target_ip, target_region, target_port, tcp_delay, tcp_delay_us, tcp_jitter_us, rtt_samples_us,
                  samples, lost, probe_time)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE event_id = event_id""", (s, key, v) -> {
                    final List<Long> rtts = v.getSamples().stream()
                            .filter(sample -> sample.getOutcome() == ProbeOutcome.CONNECTED && sample.getRttMicros() != null)
                            .map(ProbeSample::getRttMicros).sorted().toList();
                    final Long medianMicros = rtts.isEmpty() ? null : rtts.get(rtts.size() / 2);
                    int i = 0;
                    s.setString(++i, v.getMetadata().getEventId().toString());
                    s.setString(++i, v.getSourceNodeId());
                    s.setString(++i, v.getSourceIp());
                    s.setString(++i, v.getSourceRegion());
                    s.setString(++i, v.getTargetNodeId());
                    s.setString(++i, v.getTargetIp());
                    s.setString(++i, v.getTargetRegion());
                    s.setInt(++i, v.getTargetPort());
                    if (medianMicros == null) {
                        s.setNull(++i, Types.INTEGER);
                        s.setNull(++i, Types.BIGINT);
                    } else {
                        s.setInt(++i, (int) Math.round(medianMicros / 1000.0));
                        s.setLong(++i, medianMicros);
                    }
                    final List<Long> inOrder = v.getSamples().stream()
                            .filter(sample -> sample.getOutcome() == ProbeOutcome.CONNECTED && sample.getRttMicros() != null)
                            .map(ProbeSample::getRttMicros).toList();
                    final java.util.OptionalDouble jitter = dev.arcturus.probes.ProbeJitter.micros(inOrder);
                    if (jitter.isPresent()) {
                        s.setLong(++i, Math.round(jitter.getAsDouble()));
                    } else {
                        s.setNull(++i, Types.BIGINT);
                    }
                    s.setString(++i, samplesText(v.getSamples()));
                    s.setInt(++i, v.getSamples().size());
                    s.setInt(++i, v.getSamples().size() - rtts.size());
                    s.setString(++i, utc(v.getProbeTime()));
                });
    }

    /** Each sample in order, comma-separated: its connect time in µs, or nothing when lost (at most 2048 chars). */
    static String samplesText(final List<ProbeSample> samples) {
        final String text = String.join(",", samples.stream().map(sample -> sample.getOutcome()
                == ProbeOutcome.CONNECTED && sample.getRttMicros() != null ? Long.toString(sample.getRttMicros()) : "")
                .toList());
        return text.length() <= 2048 ? text : text.substring(0, text.lastIndexOf(',', 2048));
    }

    static TableWriter networkMetrics(final String topic) {
        return new UpsertTable<>(topic, NetworkMetric.class, """
                INSERT INTO network_metrics (link_key, source_ip, destination_ip, link_latency, link_jitter, cpu_mean,
                  cpu_variance, virtual_queue_cpu_mean, virtual_queue_cpu_variance, C, link_score, loss_ratio, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE source_ip = VALUES(source_ip), destination_ip = VALUES(destination_ip),
                  link_latency = VALUES(link_latency), link_jitter = VALUES(link_jitter), cpu_mean = VALUES(cpu_mean),
                  cpu_variance = VALUES(cpu_variance),
                  virtual_queue_cpu_mean = VALUES(virtual_queue_cpu_mean),
                  virtual_queue_cpu_variance = VALUES(virtual_queue_cpu_variance), C = VALUES(C),
                  link_score = VALUES(link_score), loss_ratio = VALUES(loss_ratio), updated_at = VALUES(updated_at)""",
                (s, key, v) -> {
                    int i = 0;
                    s.setString(++i, key);
                    s.setString(++i, v.getSourceIp());
                    s.setString(++i, v.getDestinationIp());
                    s.setDouble(++i, v.getLinkLatencyMs());
                    s.setObject(++i, v.getJitterMs(), Types.DOUBLE);
                    s.setDouble(++i, v.getCpuMean());
                    s.setDouble(++i, v.getCpuVariance());
                    s.setDouble(++i, v.getVirtualQueueCpuMean());
                    s.setDouble(++i, v.getVirtualQueueCpuVariance());
                    s.setObject(++i, v.getCapacity(), Types.INTEGER);
                    s.setObject(++i, v.getLinkScore(), Types.DOUBLE);
                    s.setDouble(++i, v.getLossRatio());
                    s.setString(++i, utc(v.getUpdatedAt()));
                }, "DELETE FROM network_metrics WHERE link_key = ?");
    }

    static TableWriter domainOrigin(final String topic) {
        return new UpsertTable<>(topic, DomainOrigin.class, """
                INSERT INTO domain_origin (domain, origin_ip, origin_port, created_at) VALUES (?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE origin_ip = VALUES(origin_ip), origin_port = VALUES(origin_port),
                  created_at = VALUES(created_at)""",
                (s, key, v) -> {
                    s.setString(1, key);
                    s.setString(2, v.getOriginIp());
                    s.setInt(3, v.getOriginPort());
                    s.setString(4, utc(v.getMetadata().getOccurredAt()));
                }, "DELETE FROM domain_origin WHERE domain = ?");
    }

    /**
     * DATETIME(3) columns hold UTC wall time, so no session time zone can shift them. Bound as text: mysql-connector-j
     * reads MariaDB's version as "5.5.5-…" and then drops the fraction of a {@code LocalDateTime} parameter, while
     * both servers parse the text with its milliseconds.
     */
    static String utc(final Instant instant) {
        return UTC_MILLIS.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
}
