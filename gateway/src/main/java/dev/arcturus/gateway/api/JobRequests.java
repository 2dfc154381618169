package dev.arcturus.gateway.api;

import dev.arcturus.avro.JobKind;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.avro.MissedRunPolicy;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.scheduling.experiment.ExperimentConfig;
import dev.arcturus.scheduling.schedule.InvalidScheduleException;
import dev.arcturus.scheduling.schedule.JobSpecs;
import io.grpc.StatusRuntimeException;
import java.util.Map;

/**
 * Turns a requested job into the plane's {@link JobSpec} and validates it with the admission app's own rules, so the
 * requester gets INVALID_ARGUMENT at once (naming the API's field) instead of a rejection later.
 */
final class JobRequests {
    /** Admission names its fields after the Avro spec; the API names them after the proto request. */
    private static final Map<String, String> API_FIELDS = Map.ofEntries(Map.entry("jobId", "job.id"),
            Map.entry("owner", "owner"), Map.entry("kind", "job.type"), Map.entry("schedule", "job.schedule"),
            Map.entry("targetNodeId", "job.node_id"), Map.entry("serverNodeId", "job.server_node_id"),
            Map.entry("timeZone", "job.time_zone"), Map.entry("windowStart", "job.start"),
            Map.entry("windowEnd", "job.end"), Map.entry("lengthSeconds", "job.length_seconds"),
            Map.entry("experimentConfig", "job.config"),
            Map.entry("startingDeadlineSeconds", "job.starting_deadline_seconds"), Map.entry("selector", "job.selector"),
            Map.entry("placedNodeIds", "job.selector"),
            Map.entry("trigger", "job.trigger"));

    private JobRequests() {
    }

    static JobSpec fromRequest(final dev.arcturus.gateway.api.v1.JobSpec job, final String owner) {
        if (job.getType() == JobType.JOB_TYPE_UNSPECIFIED) {
            throw Requests.invalid("job.type", "required: CRON or ONE_SHOT");
        }
        if (!job.hasStart()) {
            throw Requests.invalid("job.start", "required");
        }
        if (!job.hasEnd()) {
            throw Requests.invalid("job.end", "required");
        }
        final JobSpec spec = JobSpec.newBuilder()
                .setJobId(job.getId())
                .setOwner(owner)
                .setKind(job.getType() == JobType.CRON ? JobKind.CRON : JobKind.ONE_SHOT)
                .setSchedule(job.getSchedule().isEmpty() ? null : job.getSchedule())
                .setTargetNodeId(job.hasSelector() && job.getNodeId().isEmpty() ? null : job.getNodeId())
                .setSelector(job.hasSelector() ? selector(job.getSelector()) : null)
                .setServerNodeId(job.getServerNodeId().isEmpty() ? null : job.getServerNodeId())
                .setTimeZone(job.getTimeZone().isEmpty() ? "UTC" : job.getTimeZone())
                .setWindowStart(Timestamps.instant(job.getStart()))
                .setWindowEnd(Timestamps.instant(job.getEnd()))
                .setLengthSeconds(job.getLengthSeconds())
                .setExclusive(job.getExclusive())
                .setTrigger(job.getTrigger().isEmpty() ? null : job.getTrigger())
                .setExperimentConfig(job.getConfig())
                .setMissedRunPolicy(job.getMissedRunPolicy() == dev.arcturus.gateway.api.v1.MissedRunPolicy.RUN_ONCE_LATE
                        ? MissedRunPolicy.RUN_ONCE_LATE : MissedRunPolicy.SKIP)
                .setStartingDeadlineSeconds(job.getStartingDeadlineSeconds() == 0 ? null : job.getStartingDeadlineSeconds())
                .build();
        validate(spec);
        return spec;
    }

    private static dev.arcturus.avro.NodeSelector selector(final dev.arcturus.gateway.api.v1.NodeSelector selector) {
        return dev.arcturus.avro.NodeSelector.newBuilder()
                .setRegion(selector.getRegion().isEmpty() ? null : selector.getRegion())
                .setTags(selector.getTagsList()).setCount(selector.getCount() == 0 ? 1 : selector.getCount()).build();
    }

    static void validate(final JobSpec spec) {
        try {
            JobSpecs.expand(spec);
        } catch (final InvalidScheduleException e) {
            throw invalid(e.getMessage());
        }
        // The container section is checked here, not at run time on a node hours later. A blank config reserves the
        // calendar without a container (the run then fails saying so).
        if (!spec.getExperimentConfig().isBlank()) {
            try {
                ExperimentConfig.parse(spec.getExperimentConfig());
            } catch (final ExperimentConfig.InvalidExperimentException e) {
                final int colon = e.getMessage().indexOf(':');
                throw Requests.invalid("job." + e.getMessage().substring(0, colon),
                        e.getMessage().substring(colon + 1).trim());
            }
        }
    }

    private static StatusRuntimeException invalid(final String admissionMessage) {
        final int colon = admissionMessage.indexOf(':');
        final String field = colon < 0 ? null : API_FIELDS.get(admissionMessage.substring(0, colon));
        return field == null ? Requests.invalid("job", admissionMessage)
                : Requests.invalid(field, admissionMessage.substring(colon + 1).trim());
    }
}
