package dev.arcturus.sinks.mysql.capture;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.NodeRole;
import dev.arcturus.avro.ProbeOutcome;
import dev.arcturus.avro.ProbeSample;
import dev.arcturus.avro.RegionProbe;
import dev.arcturus.avro.SystemInfo;
import dev.arcturus.events.EventMetadatas;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a row change of node_region or domain_origin into what the plane should hear: a registration or origin, a
 * tombstone, or nothing when the row says what the plane already holds (the sink's own write coming back, or a
 * repeat); and a probe an agent appended to region_probe_info into a probe round. Only the seed's columns (and role) are taken from a row; a registration's other fields (coordinates,
 * tags, scavenger mode…) stay as the plane has them.
 */
final class RowMapping {
    static final String PRODUCER = "mysql-capture";
    /** The plane's id rule: what a node id made from a row must match. */
    private static final Pattern ID = dev.arcturus.events.EntityIds.ID;
    private static final Pattern IP = dev.arcturus.events.EntityIds.IP;

    /** One record for the plane. {@code value} null: a tombstone. */
    record Output(String topic, String key, Object value, RowClaim claim) {
        Output(final String topic, final String key, final Object value) {
            this(topic, key, value, null);
        }
    }

    /**
     * An agent's telemetry row taken in: before its record is committed, the row gets the record's event id (and the
     * node ids found for its addresses), so the sink's copy of the record lands on this row instead of a second one,
     * and the change that makes comes back through the log as a row the plane already has.
     */
    record RowClaim(String table, long rowId, String eventId, String sourceNodeId, String targetNodeId) {
    }

    /** A row the plane cannot take, with the reason (the field first, as everywhere). */
    static final class BadRow extends RuntimeException {
        BadRow(final String reason) {
            super(reason);
        }
    }

    private final PlaneState plane;
    private final CapturedTopics topics;
    private final Clock clock;

    RowMapping(final PlaneState plane, final CapturedTopics topics, final Clock clock) {
        this.plane = plane;
        this.topics = topics;
        this.clock = clock;
    }

    List<Output> map(final RowChange change) {
        return switch (change.table()) {
            case "node_region" -> node(change);
            case "domain_origin" -> origin(change);
            case "region_probe_info" -> probe(change);
            case "system_info" -> systemInfo(change);
            default -> List.of();
        };
    }

    private List<Output> node(final RowChange change) {
        final List<Output> out = new ArrayList<>();
        final String topic = topics.registrations().name();
        if (change.after() == null) {
            final String id = nodeId(change.before());
            if (plane.node(id).isPresent()) {
                out.add(new Output(topic, id, null));
            }
            return out;
        }
        final TableRow row = change.after();
        final String id = nodeId(row);
        final String ip = require(row, "ip");
        if (!IP.matcher(ip).matches()) {
            throw new BadRow("ip: '" + ip + "' is not an IPv4 or IPv6 address");
        }
        final String region = require(row, "region");
        final NodeRole role = role(row.text("role"));
        final Optional<NodeRegistration> known = plane.node(id);
        final NodeRegistration next = known.map(NodeRegistration::newBuilder).orElseGet(() -> NodeRegistration
                        .newBuilder().setNodeId(id).setTags(new ArrayList<>())
                        .setRegisteredAt(row.instant("created_at") != null ? row.instant("created_at") : clock.instant()))
                .setMetadata(EventMetadatas.newMetadata(PRODUCER, clock)).setIp(ip).setRegion(region)
                .setHostname(row.text("hostname")).setDescription(row.text("description"))
                .setRole(role != null ? role : known.map(NodeRegistration::getRole).orElse(NodeRole.UNKNOWN)).build();
        if (known.isPresent() && sameRow(known.get(), next)) {
            return out; // what the plane holds already: the sink's own write, or a repeat
        }
        // A row whose node id changed (an operator rewrote node_id) leaves the old node.
        if (change.before() != null) {
            final String was = nodeId(change.before());
            if (!was.equals(id) && plane.node(was).isPresent()) {
                out.add(new Output(topic, was, null));
            }
        }
        out.add(new Output(topic, id, next));
        return out;
    }

    private static boolean sameRow(final NodeRegistration a, final NodeRegistration b) {
        return a.getIp().equals(b.getIp()) && a.getRegion().equals(b.getRegion())
                && Objects.equals(a.getHostname(), b.getHostname())
                && Objects.equals(a.getDescription(), b.getDescription()) && a.getRole() == b.getRole();
    }

    /**
     * The row's node id; for a row an operator inserted (node_id still empty), its hostname when that is a valid id
     * not used by a node at another address, else its ip (unique in the table, so always a distinct node).
     */
    private String nodeId(final TableRow row) {
        final String given = row.text("node_id");
        if (given != null) {
            return given;
        }
        final String ip = require(row, "ip");
        final String hostname = row.text("hostname");
        if (hostname != null && ID.matcher(hostname).matches()
                && plane.node(hostname).map(n -> n.getIp().equals(ip)).orElse(true)) {
            return hostname;
        }
        if (!ID.matcher(ip).matches()) {
            throw new BadRow("ip: '" + ip + "' is not an IPv4 or IPv6 address");
        }
        return ip;
    }

    private static NodeRole role(final String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            final NodeRole role = NodeRole.valueOf(text.trim().toUpperCase(Locale.ROOT));
            return role == NodeRole.UNKNOWN ? null : role;
        } catch (final IllegalArgumentException e) {
            // reported below
        }
        throw new BadRow("role: '" + text + "' is not CONTROLLER, PROXY or MEASUREMENT");
    }

    private List<Output> origin(final RowChange change) {
        final String topic = topics.origins().name();
        if (change.after() == null) {
            final String domain = require(change.before(), "domain");
            return plane.origin(domain).isPresent() ? List.of(new Output(topic, domain, null)) : List.of();
        }
        final TableRow row = change.after();
        final String domain = require(row, "domain");
        final String ip = require(row, "origin_ip");
        if (!IP.matcher(ip).matches()) {
            throw new BadRow("origin_ip: '" + ip + "' is not an IPv4 or IPv6 address");
        }
        final Integer port = row.integer("origin_port");
        if (port != null && (port < 1 || port > 65_535)) {
            throw new BadRow("origin_port: " + port + " is not a port (1-65535)");
        }
        final DomainOrigin next = DomainOrigin.newBuilder().setMetadata(EventMetadatas.newMetadata(PRODUCER, clock))
                .setDomain(domain).setOriginIp(ip).setOriginPort(port != null ? port : 443).build();
        final Optional<DomainOrigin> known = plane.origin(domain);
        if (known.isPresent() && known.get().getOriginIp().equals(ip)
                && known.get().getOriginPort() == next.getOriginPort()) {
            return List.of();
        }
        final List<Output> out = new ArrayList<>();
        if (change.before() != null) {
            final String was = change.before().text("domain");
            if (was != null && !was.equals(domain) && plane.origin(was).isPresent()) {
                out.add(new Output(topic, was, null));
            }
        }
        out.add(new Output(topic, domain, next));
        return out;
    }

    /**
     * A probe an agent appended (event_id empty): one TCP-connect sample of tcp_delay ms (none: lost), from the node
     * at source_ip to the node or domain origin at target_ip. Rows the sink wrote carry an event id and are the
     * plane's already; updates and deletes (retention) of telemetry say nothing new.
     */
    private List<Output> probe(final RowChange change) {
        final TableRow row = change.after();
        if (change.before() != null || row == null || row.text("event_id") != null) {
            return List.of();
        }
        final String sourceIp = require(row, "source_ip");
        final NodeRegistration source = plane.nodeAt(sourceIp)
                .orElseThrow(() -> new BadRow("source_ip: no registered node has address " + sourceIp));
        final String targetIp = require(row, "target_ip");
        final Optional<NodeRegistration> targetNode = plane.nodeAt(targetIp);
        final Optional<DomainOrigin> origin = targetNode.isPresent() ? Optional.empty() : plane.originAt(targetIp);
        if (targetNode.isEmpty() && origin.isEmpty()) {
            throw new BadRow("target_ip: no registered node or domain origin has address " + targetIp);
        }
        final java.time.Instant time = row.instant("probe_time");
        if (time == null) {
            throw new BadRow("probe_time: required");
        }
        final Integer delay = row.integer("tcp_delay");
        if (delay != null && delay < 0) {
            throw new BadRow("tcp_delay: " + delay + " is negative");
        }
        final Object id = row.columns().get("id");
        // The same row always gets the same event id: read twice (a restart before the commit), it is one probe.
        final java.util.UUID eventId = java.util.UUID.nameUUIDFromBytes(("region_probe_info/" + id + "/"
                + time.toEpochMilli() + "/" + sourceIp + "/" + targetIp).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        final dev.arcturus.avro.EventMetadata metadata = EventMetadatas.newMetadata(PRODUCER, clock);
        metadata.setEventId(eventId);
        metadata.setOccurredAt(time);
        final Integer port = row.integer("target_port");
        final RegionProbe probe = RegionProbe.newBuilder().setMetadata(metadata)
                .setSourceNodeId(source.getNodeId()).setSourceIp(sourceIp)
                .setSourceRegion(Optional.ofNullable(row.text("source_region")).orElse(source.getRegion()))
                .setTargetNodeId(targetNode.map(NodeRegistration::getNodeId).orElse(null)).setTargetIp(targetIp)
                .setTargetRegion(Optional.ofNullable(row.text("target_region")).orElse(""))
                .setTargetPort(port != null ? port : origin.map(DomainOrigin::getOriginPort).orElse(0))
                .setProbeTime(time)
                .setSamples(List.of(delay == null ? new ProbeSample(ProbeOutcome.TIMEOUT, null)
                        : new ProbeSample(ProbeOutcome.CONNECTED, delay * 1000L)))
                .build();
        return List.of(new Output(topics.probes().name(), source.getNodeId(), probe, new RowClaim("region_probe_info",
                ((Number) id).longValue(), eventId.toString(), source.getNodeId(), probe.getTargetNodeId())));
    }

    /**
     * A sample a monitoring agent appended (event_id empty), of the node at its ip: the seed's columns, one to one
     * (logical cores default to the physical count the seed records).
     */
    private List<Output> systemInfo(final RowChange change) {
        final TableRow row = change.after();
        if (change.before() != null || row == null || row.text("event_id") != null) {
            return List.of();
        }
        final String ip = require(row, "ip");
        final NodeRegistration node = plane.nodeAt(ip)
                .orElseThrow(() -> new BadRow("ip: no registered node has address " + ip));
        final java.time.Instant time = row.instant("timestamp");
        if (time == null) {
            throw new BadRow("timestamp: required");
        }
        final Object id = row.columns().get("id");
        final java.util.UUID eventId = java.util.UUID.nameUUIDFromBytes(("system_info/" + id + "/"
                + time.toEpochMilli() + "/" + ip).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        final dev.arcturus.avro.EventMetadata metadata = EventMetadatas.newMetadata(PRODUCER, clock);
        metadata.setEventId(eventId);
        metadata.setOccurredAt(time);
        final int cores = number(row, "cpu_cores").intValue();
        final SystemInfo sample = SystemInfo.newBuilder().setMetadata(metadata).setNodeId(node.getNodeId()).setIp(ip)
                .setCpuCores(cores)
                .setLogicalCores(row.columns().get("logical_cores") == null ? cores
                        : number(row, "logical_cores").intValue())
                .setCpuModelName(require(row, "cpu_model_name")).setCpuMhz(number(row, "cpu_mhz").doubleValue())
                .setCpuCacheSize(number(row, "cpu_cache_size").intValue())
                .setCpuUsage(percent(row, "cpu_usage"))
                .setMemoryTotal(number(row, "memory_total").longValue())
                .setMemoryAvailable(number(row, "memory_available").longValue())
                .setMemoryUsed(number(row, "memory_used").longValue())
                .setMemoryUsedPercent(percent(row, "memory_used_percent"))
                .setDiskDevice(require(row, "disk_device")).setDiskTotal(number(row, "disk_total").longValue())
                .setDiskFree(number(row, "disk_free").longValue()).setDiskUsed(number(row, "disk_used").longValue())
                .setDiskUsedPercent(percent(row, "disk_used_percent"))
                .setNetworkInterfaceName(require(row, "network_interface_name"))
                .setNetworkBytesSent(number(row, "network_bytes_sent").longValue())
                .setNetworkBytesRecv(number(row, "network_bytes_recv").longValue())
                .setNetworkPacketsSent(number(row, "network_packets_sent").longValue())
                .setNetworkPacketsRecv(number(row, "network_packets_recv").longValue())
                .setHostname(require(row, "hostname")).setOs(require(row, "os")).setPlatform(require(row, "platform"))
                .setPlatformVersion(require(row, "platform_version"))
                .setUptimeSeconds(number(row, "uptime").longValue())
                .setLoad1(number(row, "load1").doubleValue()).setLoad5(number(row, "load5").doubleValue())
                .setLoad15(number(row, "load15").doubleValue()).setTimestamp(time).build();
        return List.of(new Output(topics.systemInfo().name(), node.getNodeId(), sample, new RowClaim("system_info",
                ((Number) id).longValue(), eventId.toString(), node.getNodeId(), null)));
    }

    private static Number number(final TableRow row, final String column) {
        final Object value = row.columns().get(column);
        if (value instanceof Number n) {
            return n;
        }
        throw new BadRow(column + ": required number, was " + value);
    }

    private static double percent(final TableRow row, final String column) {
        final double value = number(row, column).doubleValue();
        if (value < 0 || value > 100) {
            throw new BadRow(column + ": " + value + " is not a percentage");
        }
        return value;
    }

    private static String require(final TableRow row, final String column) {
        final String value = row.text(column);
        if (value == null || value.isBlank()) {
            throw new BadRow(column + ": required");
        }
        return value.trim();
    }
}
