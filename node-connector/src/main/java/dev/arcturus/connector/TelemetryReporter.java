package dev.arcturus.connector;

import dev.arcturus.connector.link.LinkLog;
import dev.arcturus.connector.telemetry.ProbeResponder;
import dev.arcturus.connector.telemetry.ProbeRounds;
import dev.arcturus.connector.telemetry.SystemInfoSampler;
import dev.arcturus.gateway.api.v1.DomainOrigin;
import dev.arcturus.gateway.api.v1.GetNodesRequest;
import dev.arcturus.gateway.api.v1.GetNodesResponse;
import dev.arcturus.gateway.api.v1.ListDomainOriginsRequest;
import dev.arcturus.gateway.api.v1.Node;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.PageRequest;
import dev.arcturus.gateway.api.v1.PlaneServiceGrpc;
import dev.arcturus.gateway.api.v1.ProbeRound;
import dev.arcturus.gateway.api.v1.ReportProbesRequest;
import dev.arcturus.gateway.api.v1.ReportSystemInfoRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's telemetry: a {@code system_info} row every interval (OSHI), and probe rounds to every other registered
 * node and every domain origin (targets re-read from the plane each round, so a new node is probed from the next
 * round on). Round results go to the plane and also become this node's trigger variables
 * {@code latency_node_<id>} and {@code latency_region_<region>} (mean connect time in ms; the region's is its
 * closest node's), with characters other than letters, digits and {@code _} in names written as {@code _}.
 */
final class TelemetryReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TelemetryReporter.class);

    private final String nodeId;
    private final TelemetrySettings settings;
    private final NodeServiceGrpc.NodeServiceBlockingStub nodes;
    private final PlaneServiceGrpc.PlaneServiceBlockingStub plane;
    private final NodeTelemetry triggerValues;
    private final Supplier<String> ownIp;
    private final SystemInfoSampler sampler;
    private final ScheduledExecutorService schedule = Executors.newScheduledThreadPool(2,
            NodeConnector.daemon("connector-telemetry"));
    private final ExecutorService probePool = Executors.newFixedThreadPool(8, NodeConnector.daemon("connector-probe"));
    private final ProbeRounds rounds;
    private final LinkLog systemInfoLink;
    private final LinkLog probeLink;
    private ProbeResponder responder;

    TelemetryReporter(final String nodeId, final TelemetrySettings settings, final java.nio.file.Path workRoot,
                      final NodeServiceGrpc.NodeServiceBlockingStub nodes,
                      final PlaneServiceGrpc.PlaneServiceBlockingStub plane, final NodeTelemetry triggerValues,
                      final Supplier<String> ownIp) {
        this.nodeId = nodeId;
        this.settings = settings;
        this.nodes = nodes;
        this.plane = plane;
        this.triggerValues = triggerValues;
        this.ownIp = ownIp;
        this.sampler = new SystemInfoSampler(workRoot);
        this.rounds = new ProbeRounds(settings.probeSamples(), settings.probeTimeout(), probePool);
        this.systemInfoLink = new LinkLog(log, "Node " + nodeId + " system info");
        this.probeLink = new LinkLog(log, "Node " + nodeId + " probe rounds");
    }

    void start() {
        if (settings.probePort() > 0) {
            try {
                responder = ProbeResponder.listen(settings.probePort());
            } catch (final IOException e) {
                log.warn("Node {}: cannot answer probes on port {} ({}); peers will see this node as lost",
                        nodeId, settings.probePort(), e.getMessage());
            }
        }
        schedule.scheduleAtFixedRate(this::reportSystemInfo, 1_000, settings.systemInfoInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        schedule.scheduleAtFixedRate(this::probeRound, 2_000, settings.probeInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void reportSystemInfo() {
        try {
            nodes.withDeadlineAfter(5, TimeUnit.SECONDS).reportSystemInfo(ReportSystemInfoRequest.newBuilder()
                    .setInfo(sampler.sample(nodeId, ownIp.get(), Instant.now())).build());
            systemInfoLink.succeeded();
        } catch (final RuntimeException e) {
            systemInfoLink.failed(e); // telemetry is a sample, not a record: the next one replaces it
        }
    }

    void probeRound() {
        try {
            final List<ProbeRounds.Target> targets = targets();
            if (targets.isEmpty()) {
                return;
            }
            final List<ProbeRound> results = rounds.probe(targets, Instant.now());
            recordLatencies(targets, results);
            nodes.withDeadlineAfter(10, TimeUnit.SECONDS).reportProbes(ReportProbesRequest.newBuilder()
                    .setNodeId(nodeId).addAllRounds(results).build());
            probeLink.succeeded();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException e) {
            probeLink.failed(e);
        }
    }

    private List<ProbeRounds.Target> targets() {
        final List<ProbeRounds.Target> targets = new ArrayList<>();
        if (settings.probePort() > 0) {
            String page = "";
            do {
                final GetNodesResponse response = nodes.withDeadlineAfter(10, TimeUnit.SECONDS).getNodes(
                        GetNodesRequest.newBuilder().setPage(PageRequest.newBuilder().setPageSize(1000)
                                .setPageToken(page)).build());
                for (final Node node : response.getNodesList()) {
                    if (!node.getId().equals(nodeId) && !node.getIp().isEmpty()) {
                        targets.add(new ProbeRounds.Target(node.getId(), null, node.getIp(), settings.probePort(),
                                node.getRegion()));
                    }
                }
                page = response.getNextPageToken();
            } while (!page.isEmpty());
        }
        for (final DomainOrigin origin : plane.withDeadlineAfter(10, TimeUnit.SECONDS)
                .listDomainOrigins(ListDomainOriginsRequest.getDefaultInstance()).getOriginsList()) {
            targets.add(new ProbeRounds.Target(null, origin.getDomain(), origin.getOriginIp(),
                    origin.getOriginPort() == 0 ? 80 : origin.getOriginPort(), ""));
        }
        return targets;
    }

    private void recordLatencies(final List<ProbeRounds.Target> targets, final List<ProbeRound> results) {
        final Map<String, Double> closestByRegion = new HashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            final ProbeRounds.Target target = targets.get(i);
            final double millis = ProbeRounds.meanMillis(results.get(i));
            if (target.nodeId() == null || millis < 0) {
                continue;
            }
            triggerValues.record("latency_node_" + variableName(target.nodeId()), millis);
            closestByRegion.merge(target.region(), millis, Math::min);
        }
        closestByRegion.forEach((region, millis) -> triggerValues.record("latency_region_" + variableName(region),
                millis));
    }

    static String variableName(final String id) {
        return id.replaceAll("[^A-Za-z0-9_]", "_");
    }

    @Override
    public void close() {
        schedule.shutdownNow();
        probePool.shutdownNow();
        if (responder != null) {
            try {
                responder.close();
            } catch (final IOException e) {
                log.debug("Probe responder did not close cleanly", e);
            }
        }
    }
}
