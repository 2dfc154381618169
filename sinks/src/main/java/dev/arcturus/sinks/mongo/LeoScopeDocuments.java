package dev.arcturus.sinks.mongo;

import dev.arcturus.avro.GlobalConfig;
import dev.arcturus.avro.JobKind;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.RunState;
import dev.arcturus.avro.Task;
import dev.arcturus.avro.User;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import org.bson.Document;

/**
 * Record → document mappings using LEOScope's own field names (leoscope.md §3), so its website and tools read them
 * unchanged. Each document's {@code _id} is the entity id, which makes every write an idempotent replace or update.
 * Token hashes and storage credentials never leave Kafka.
 */
final class LeoScopeDocuments {

    private LeoScopeDocuments() {
    }

    static Document job(final JobState state) {
        final JobSpec spec = state.getSpec();
        final String nodeId = spec.getTargetNodeId() != null ? spec.getTargetNodeId()
                : state.getAssignedNodeIds().isEmpty() ? null : state.getAssignedNodeIds().get(0);
        return new Document("_id", state.getJobId())
                .append("id", state.getJobId())
                .append("nodeid", nodeId)
                .append("nodeids", state.getAssignedNodeIds())
                .append("userid", spec.getOwner())
                .append("type", spec.getKind() == JobKind.CRON ? "cron" : "atq")
                .append("schedule", spec.getSchedule() == null ? "" : spec.getSchedule())
                .append("timezone", spec.getTimeZone())
                .append("start_date", spec.getWindowStart().toString())
                .append("end_date", spec.getWindowEnd().toString())
                .append("length_secs", spec.getLengthSeconds())
                .append("overhead", spec.getExclusive())
                .append("server", spec.getServerNodeId())
                .append("trigger", spec.getTrigger())
                .append("config", spec.getExperimentConfig())
                .append("missed_run_policy", lower(spec.getMissedRunPolicy()))
                .append("status", lower(state.getStatus()))
                .append("version", state.getVersion())
                // LEOScope's TTL index removes a job once its window has ended.
                .append("expire_at", date(spec.getWindowEnd()));
    }

    static Document run(final RunState run) {
        return new Document("_id", run.getRunId())
                .append("runid", run.getRunId())
                .append("jobid", run.getJobId())
                .append("nodeid", run.getNodeId())
                .append("userid", run.getOwnerId())
                .append("scheduled_time", date(run.getScheduledAt()))
                .append("start_time", date(run.getStartedAt()))
                .append("end_time", date(run.getEndedAt()))
                .append("last_updated", date(run.getLastUpdated()))
                .append("blob_url", run.getArtifactBlob())
                .append("status", lower(run.getStatus()))
                .append("status_message", run.getStatusMessage())
                .append("exit_code", run.getExitCode())
                .append("update_count", run.getUpdateCount());
    }

    /** The registration's fields of a node document ({@code $set}, so liveness fields survive). */
    static Document nodeRegistration(final NodeRegistration node) {
        return new Document("nodeid", node.getNodeId())
                .append("name", node.getHostname() == null ? node.getNodeId() : node.getHostname())
                .append("description", node.getDescription())
                .append("ip", node.getIp())
                .append("region", node.getRegion())
                .append("role", lower(node.getRole()))
                .append("coords", node.getCoords() == null ? null
                        : node.getCoords().getLatitude() + "," + node.getCoords().getLongitude())
                .append("location", node.getLocation())
                .append("provider", node.getProvider())
                .append("public_ip", node.getPublicIp())
                .append("tags", node.getTags())
                .append("registered_at", date(node.getRegisteredAt()));
    }

    /** The liveness fields of a node document ({@code $set}). */
    static Document nodeLiveness(final NodeLiveness liveness) {
        return new Document("nodeid", liveness.getNodeId())
                .append("last_active", date(liveness.getLastActive()))
                .append("liveness", lower(liveness.getState()))
                .append("liveness_since", date(liveness.getSince()))
                .append("flap_count", liveness.getFlapCount());
    }

    static Document task(final Task task) {
        return new Document("_id", task.getTaskId())
                .append("taskid", task.getTaskId())
                .append("runid", task.getRunId())
                .append("jobid", task.getJobId())
                .append("nodeid", task.getNodeId())
                .append("status", lower(task.getStatus()))
                .append("task_type", lower(task.getType()))
                .append("ttl_secs", task.getTtlSeconds())
                .append("expire_at", date(task.getExpiresAt()));
    }

    /** A user without any token material: only when the token was issued and when it expires. */
    static Document user(final User user) {
        return new Document("_id", user.getUserId())
                .append("id", user.getUserId())
                .append("name", user.getName())
                .append("role", lower(user.getRole()))
                .append("team", user.getTeam())
                .append("kernel_access", user.getKernelAccess())
                .append("token_issued_at", date(user.getTokenIssuedAt()))
                .append("token_expires_at", date(user.getTokenExpiresAt()));
    }

    /** Global config without the storage credential (not even its reference name). */
    static Document config(final String key, final GlobalConfig config) {
        return new Document("_id", key)
                .append("version", config.getVersion())
                .append("datastore", new Document("blob", new Document("container", config.getArtifactContainer())
                        .append("artifactPath", config.getArtifactPathPrefix())))
                .append("artifact_link_validity_secs", config.getArtifactLinkValiditySeconds())
                .append("settings", new Document(new java.util.TreeMap<String, Object>(config.getSettings())));
    }

    private static Date date(final Instant instant) {
        return instant == null ? null : Date.from(instant);
    }

    private static String lower(final Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
