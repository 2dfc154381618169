package dev.arcturus.topics;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.GlobalConfig;
import dev.arcturus.avro.Heartbeat;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.NetworkMetric;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.PathSelection;
import dev.arcturus.avro.PlacementAction;
import dev.arcturus.avro.RegionProbe;
import dev.arcturus.avro.RunState;
import dev.arcturus.avro.RunUpdate;
import dev.arcturus.avro.SystemInfo;
import dev.arcturus.avro.Task;
import dev.arcturus.avro.User;
import java.time.Duration;
import java.util.List;

/**
 * Every topic of the plane. docs/architecture.md renders this list; a test keeps the two in step.
 *
 * <p>Topics keyed by the same entity have the same partition count so they stay co-partitioned for joins.
 */
public final class TopicCatalog {
    /** Partitions of every entity-keyed topic: enough for six instances of each app per entity. */
    public static final int ENTITY_PARTITIONS = 6;

    public static final Topic<NodeRegistration> NODE_REGISTRATION = Topic.state("fleet.node.registration.v1",
            "nodeId", NodeRegistration.class, ENTITY_PARTITIONS, "Registered nodes; a tombstone deregisters.");
    public static final Topic<Heartbeat> NODE_HEARTBEAT = Topic.events("fleet.node.heartbeat.v1",
            "nodeId", Heartbeat.class, ENTITY_PARTITIONS, Duration.ofDays(1), "Connector heartbeats.");
    public static final Topic<SystemInfo> NODE_SYSTEM_INFO = Topic.events("fleet.node.system-info.v1",
            "nodeId", SystemInfo.class, ENTITY_PARTITIONS, Duration.ofDays(7), "System info samples (system_info).");
    public static final Topic<NodeLiveness> NODE_LIVENESS = Topic.state("fleet.node.liveness.v1",
            "nodeId", NodeLiveness.class, ENTITY_PARTITIONS, "Current UP/SUSPECT/DOWN/DEGRADED state per node.");
    public static final Topic<RegionProbe> REGION_PROBE = Topic.events("network.region.probe.v1",
            "sourceNodeId", RegionProbe.class, ENTITY_PARTITIONS, Duration.ofDays(7),
            "Probe rounds, several TCP-connect samples each (region_probe_info).");
    public static final Topic<NetworkMetric> NETWORK_METRIC = Topic.state("network.link.metric.v1",
            "<sourceNodeId>|<destinationNodeId>", NetworkMetric.class, ENTITY_PARTITIONS,
            "Current quality of each ordered node pair (network_metrics).");
    public static final Topic<dev.arcturus.avro.NodeCpuStats> NODE_CPU_STATS = Topic.state("network.node.cpu-stats.v1",
            "nodeId", dev.arcturus.avro.NodeCpuStats.class, ENTITY_PARTITIONS,
            "Each node's CPU mean/variance over its last 10 samples and spare capacity, for link scoring.");
    public static final Topic<DomainOrigin> DOMAIN_ORIGIN = Topic.state("network.domain.origin.v1",
            "domain", DomainOrigin.class, ENTITY_PARTITIONS, "Domain to origin server mapping (domain_origin).");
    public static final Topic<PathSelection> PATH_SELECTION = Topic.state("network.path.selection.v1",
            "<region>|<domain>, node:<node>|<domain>, <region>|region:<region2>", PathSelection.class,
            ENTITY_PARTITIONS, "Current best paths (node, region and region-pair), last-mile and multipath splits.");
    public static final Topic<User> USER = Topic.state("identity.user.v1",
            "userId", User.class, ENTITY_PARTITIONS, "Users and node principals (token hashes only).");
    public static final Topic<GlobalConfig> GLOBAL_CONFIG = Topic.state("config.global.v1",
            "\"global\"", GlobalConfig.class, 1, "Plane-wide settings, without secrets.");
    public static final Topic<JobCommand> JOB_COMMAND = Topic.events("jobs.job.command.v1",
            "jobId (nodeId for delete-all)", JobCommand.class, ENTITY_PARTITIONS, Duration.ofDays(7),
            "Schedule/modify/delete requests to admission.");
    public static final Topic<JobDecision> JOB_DECISION = Topic.events("jobs.job.decision.v1",
            "jobId", JobDecision.class, ENTITY_PARTITIONS, Duration.ofDays(7), "Admission decisions.");
    public static final Topic<JobState> JOB_STATE = Topic.state("jobs.job.state.v1",
            "jobId", JobState.class, ENTITY_PARTITIONS, "Current version of every admitted job.");
    public static final Topic<RunUpdate> RUN_UPDATE = Topic.events("runs.run.update.v1",
            "runId", RunUpdate.class, ENTITY_PARTITIONS, Duration.ofDays(30), "Run status reports from nodes.");
    public static final Topic<RunState> RUN_STATE = Topic.state("runs.run.state.v1",
            "runId", RunState.class, ENTITY_PARTITIONS, "Current state of every run.");
    public static final Topic<Task> TASK = Topic.state("tasks.task.v1",
            "taskId", Task.class, ENTITY_PARTITIONS, "Server-side coordination tasks.");
    public static final Topic<PlacementAction> PLACEMENT_ACTION = Topic.events("placement.action.v1",
            "jobId", PlacementAction.class, ENTITY_PARTITIONS, Duration.ofDays(30), "Placement and rebalancing actions.");
    /**
     * Placement's command stream. One partition on purpose: its single owner is the one active placement leader,
     * so several placement instances can run and exactly one acts.
     */
    public static final Topic<dev.arcturus.avro.PlacementCommand> PLACEMENT_COMMAND = Topic.events(
            "placement.command.v1", "jobId", dev.arcturus.avro.PlacementCommand.class, 1, Duration.ofDays(7),
            "Selector jobs to place, and admission's decisions on placement's own requests.");

    public static final Topic<dev.arcturus.avro.AuditEntry> AUDIT = Topic.events("audit.write.v1", "principalId",
            dev.arcturus.avro.AuditEntry.class, ENTITY_PARTITIONS, Duration.ofDays(365),
            "Every write through the gateway, with its principal and outcome.");

    /** Admission-internal: steps of a command's walk over node calendars (keyed like the node topics). */
    public static final Topic<dev.arcturus.avro.AdmissionStep> ADMISSION_NODE_STEP = Topic.events(
            "jobs.admission.node-step.v1", "nodeId", dev.arcturus.avro.AdmissionStep.class, ENTITY_PARTITIONS,
            Duration.ofDays(7), "Admission-internal: lock, check, commit and release steps per node calendar.");
    /** Admission-internal: node calendars' verdicts back to the job router (keyed like the command topic). */
    public static final Topic<dev.arcturus.avro.AdmissionResult> ADMISSION_RESULT = Topic.events(
            "jobs.admission.result.v1", "jobId", dev.arcturus.avro.AdmissionResult.class, ENTITY_PARTITIONS,
            Duration.ofDays(7), "Admission-internal: verdicts of node calendars for the job router.");

    private static final List<Topic<?>> ALL = List.of(NODE_REGISTRATION, NODE_HEARTBEAT, NODE_SYSTEM_INFO,
            NODE_LIVENESS, REGION_PROBE, NODE_CPU_STATS, NETWORK_METRIC, DOMAIN_ORIGIN, PATH_SELECTION, USER, GLOBAL_CONFIG,
            JOB_COMMAND, JOB_DECISION, JOB_STATE, RUN_UPDATE, RUN_STATE, TASK, PLACEMENT_ACTION, PLACEMENT_COMMAND, AUDIT,
            ADMISSION_NODE_STEP, ADMISSION_RESULT);

    private TopicCatalog() {
    }

    public static List<Topic<?>> all() {
        return ALL;
    }
}
