package dev.arcturus.gateway.dashboard;

import dev.arcturus.avro.JobState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.PathSelection;
import dev.arcturus.avro.PlacementAction;
import dev.arcturus.avro.RoutedPath;
import dev.arcturus.avro.RunState;
import dev.arcturus.gateway.mapping.Visibility;
import dev.arcturus.gateway.runs.RunQuery;
import dev.arcturus.gateway.state.PlaneView;
import dev.arcturus.scheduling.schedule.InvalidScheduleException;
import dev.arcturus.scheduling.schedule.JobRuns;
import dev.arcturus.topics.TopicCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The dashboard's JSON for each kind of entity, read from the gateway's view. Only what an operator needs is shown:
 * never token hashes, job configs (they may hold credentials) or storage URLs.
 */
final class DashboardViews {
    static final int RECENT_RUNS = 50;
    static final int RECENT_ACTIONS = 50;

    private final PlaneView view;
    private final java.time.Clock clock;
    private final LatencyHistory latency = new LatencyHistory();
    private final RunDigest runDigest;

    DashboardViews(final PlaneView view, final java.time.Clock clock) {
        this.view = view;
        this.clock = clock;
        this.runDigest = new RunDigest(view, this::run);
        for (final PathSelection selection : view.all(TopicCatalog.PATH_SELECTION)) {
            pathChanged(selection);
        }
    }

    /** Feeds the latency history with a region pair's new best path (the feed calls it for every path change). */
    void pathChanged(final PathSelection selection) {
        if (selection != null && "REGION_TO_REGION".equals(selection.getKind())) {
            final RoutedPath best = selection.getPaths().isEmpty() ? null : selection.getPaths().get(0);
            latency.update(selection.getSourceRegion(), selection.getDestinationRegion(),
                    best == null ? null : best.getLatencyMs(), clock.millis());
        }
    }

    String latencyHistory() {
        return latency.json(clock.millis());
    }

    String runDigest() {
        return runDigest.json(clock.instant());
    }

    /** A node with its liveness: the fleet panel's unit. */
    String node(final String nodeId) {
        final Optional<NodeRegistration> registration = view.get(TopicCatalog.NODE_REGISTRATION, nodeId);
        final Optional<NodeLiveness> liveness = view.get(TopicCatalog.NODE_LIVENESS, nodeId);
        if (registration.isEmpty()) {
            return Json.object().field("id", nodeId).field("deleted", true).end();
        }
        final NodeRegistration node = registration.get();
        return Json.object().field("id", nodeId).field("region", node.getRegion())
                .field("name", node.getHostname()).field("tags", node.getTags())
                .field("lat", node.getCoords() == null ? null : node.getCoords().getLatitude())
                .field("lon", node.getCoords() == null ? null : node.getCoords().getLongitude())
                .field("location", node.getLocation()).field("provider", node.getProvider())
                .field("scavenger", node.getScavengerModeActive())
                .field("state", liveness.map(l -> l.getState().name()).orElse("UNKNOWN"))
                .field("since", liveness.map(NodeLiveness::getSince).orElse(null))
                .field("lastActive", liveness.map(NodeLiveness::getLastActive).orElse(null))
                .field("flapCount", liveness.map(NodeLiveness::getFlapCount).orElse(0)).end();
    }

    String run(final RunState run) {
        return Json.object().field("id", run.getRunId()).field("jobId", run.getJobId()).field("nodeId", run.getNodeId())
                .field("owner", run.getOwnerId()).field("status", run.getStatus().name())
                .field("message", run.getStatusMessage()).field("scheduledAt", run.getScheduledAt())
                .field("startedAt", run.getStartedAt()).field("endedAt", run.getEndedAt())
                .field("exitCode", run.getExitCode()).field("hasArtifact", run.getArtifactBlob() != null)
                .field("lastUpdated", run.getLastUpdated()).end();
    }

    /** A region pair's best path: one cell of the latency heat map. */
    static Optional<String> regionPath(final String key, final PathSelection selection) {
        if (selection == null || !"REGION_TO_REGION".equals(selection.getKind())) {
            return Optional.empty();
        }
        final RoutedPath best = selection.getPaths().isEmpty() ? null : selection.getPaths().get(0);
        return Optional.of(Json.object().field("key", key).field("from", selection.getSourceRegion())
                .field("to", selection.getDestinationRegion())
                .field("latencyMs", best == null ? null : best.getLatencyMs())
                .field("cost", best == null ? null : best.getCost())
                .field("hops", best == null ? List.of() : best.getHops())
                .field("computedAt", selection.getComputedAt()).end());
    }

    static String action(final PlacementAction action) {
        return Json.object().field("id", action.getActionId()).field("type", action.getType().name())
                .field("jobId", action.getJobId()).field("from", action.getFromNodeIds())
                .field("to", action.getToNodeIds()).field("reason", action.getReason())
                .field("imbalanceBefore", action.getImbalanceBefore())
                .field("imbalanceAfter", action.getImbalanceAfter())
                .field("at", action.getMetadata().getOccurredAt()).end();
    }

    /** Everything the page shows, for a new or reconnecting page. */
    String snapshot() {
        final List<String> nodes = view.all(TopicCatalog.NODE_REGISTRATION).stream()
                .map(n -> node(n.getNodeId())).toList();
        // The newest scheduled runs, straight from the time index: a page, whatever the history's size.
        final List<String> runs = view.runs().query(RunQuery.all(RECENT_RUNS)).runs().stream()
                .map(this::run).toList();
        final List<String> paths = new ArrayList<>();
        for (final PathSelection selection : view.all(TopicCatalog.PATH_SELECTION)) {
            regionPath(selection.getSourceRegion() + "|region:" + selection.getDestinationRegion(), selection)
                    .ifPresent(paths::add);
        }
        final List<String> actions = view.all(TopicCatalog.PLACEMENT_ACTION).stream()
                .sorted(Comparator.comparing((PlacementAction a) -> a.getMetadata().getOccurredAt()).reversed())
                .limit(RECENT_ACTIONS).map(DashboardViews::action).toList();
        return Json.object().field("at", clock.instant()).field("nodes", new Json.Raw(Json.array(nodes)))
                .field("runs", new Json.Raw(Json.array(runs))).field("paths", new Json.Raw(Json.array(paths)))
                .field("actions", new Json.Raw(Json.array(actions)))
                .field("runDigest", new Json.Raw(runDigest())).field("latency", new Json.Raw(latencyHistory())).end();
    }

    /** The newest runs of a job and/or a node (the runs panel's filter), a page. */
    String runs(final String jobId, final String nodeId) {
        final List<String> runs = view.runs().query(RunQuery.all(RECENT_RUNS).byJob(jobId).byNode(nodeId)).runs()
                .stream().map(this::run).toList();
        return Json.object().field("runs", new Json.Raw(Json.array(runs))).end();
    }

    /** A node's scheduled runs from {@code from} for {@code hours}: the calendar panel. */
    String calendar(final String nodeId, final Instant from, final int hours) {
        final long start = from.toEpochMilli();
        final long end = start + hours * 3_600_000L;
        final List<Slot> slots = new ArrayList<>();
        for (final JobState job : view.all(TopicCatalog.JOB_STATE)) {
            if (!Visibility.onNode(job, nodeId)) {
                continue;
            }
            final JobRuns runs;
            try {
                runs = dev.arcturus.scheduling.schedule.JobSpecs.expand(job.getSpec());
            } catch (final InvalidScheduleException e) {
                continue; // admitted jobs always expand; a stale invalid one shows nothing
            }
            for (final long runStart : runs.startsOverlapping(start, end)) {
                slots.add(new Slot(runStart, runStart + runs.lengthMillis(), job.getJobId(), job.getSpec().getOwner(),
                        job.getSpec().getExclusive()));
            }
        }
        slots.sort(Comparator.comparingLong(Slot::start).thenComparing(Slot::jobId));
        final List<String> entries = slots.stream().map(s -> Json.object().field("jobId", s.jobId())
                .field("owner", s.owner()).field("start", s.start()).field("end", s.end())
                .field("exclusive", s.exclusive()).end()).toList();
        return Json.object().field("nodeId", nodeId).field("from", start).field("to", end)
                .field("runs", new Json.Raw(Json.array(entries))).end();
    }

    private record Slot(long start, long end, String jobId, String owner, boolean exclusive) {
    }
}
