package dev.arcturus.scheduling.schedule;

import dev.arcturus.avro.JobKind;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.avro.MissedRunPolicy;
import dev.arcturus.avro.NodeSelector;
import dev.arcturus.scheduling.trigger.InvalidTriggerException;
import dev.arcturus.scheduling.trigger.Trigger;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Validates a job specification and expands it into its runs. Every rejection names the field and the problem,
 * because the message goes back to the researcher unchanged.
 */
public final class JobSpecs {
    public static final Duration MAX_WINDOW = Duration.ofDays(400);
    public static final Duration MAX_LENGTH = Duration.ofDays(31);
    public static final int MAX_RUNS_PER_JOB = 1_000_000;
    public static final int MAX_CONFIG_BYTES = 64 * 1024;
    public static final int MAX_SELECTOR_COUNT = 100;
    public static final int MAX_SELECTOR_TAGS = 16;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    private JobSpecs() {
    }

    /** The validated runs of {@code spec}; throws with a precise reason when the spec can't be admitted. */
    public static JobRuns expand(final JobSpec spec) throws InvalidScheduleException {
        validateFields(spec);
        final ZoneId zone = zone(spec.getTimeZone());
        final long start = spec.getWindowStart().toEpochMilli();
        final long end = spec.getWindowEnd().toEpochMilli();
        final long length = spec.getLengthSeconds() * 1000L;
        final long[] starts;
        if (spec.getKind() == JobKind.ONE_SHOT) {
            if (start + length > end) {
                throw new InvalidScheduleException("lengthSeconds: a one-shot run of " + spec.getLengthSeconds()
                        + " s starting at windowStart must end by windowEnd (its deadline)");
            }
            starts = new long[] {start};
        } else {
            starts = Schedule.parse(spec.getSchedule()).fireTimes(start, end, zone, MAX_RUNS_PER_JOB);
            if (starts.length > MAX_RUNS_PER_JOB) {
                throw new InvalidScheduleException("schedule: '" + spec.getSchedule() + "' fires more than "
                        + MAX_RUNS_PER_JOB + " times in the window; shorten the window or the frequency");
            }
            requireLengthWithinPeriod(spec, starts, length);
        }
        return new JobRuns(spec.getJobId(), starts, length, spec.getExclusive());
    }

    /** The nodes a job occupies: its target (or the nodes placement chose for it) and, when given, its server node. */
    public static List<String> nodesOf(final JobSpec spec) {
        final List<String> nodes = new ArrayList<>(runNodesOf(spec));
        if (spec.getServerNodeId() != null) {
            nodes.add(spec.getServerNodeId());
        }
        return nodes;
    }

    /** The nodes that run the job's client side: the target node, or placement's nodes for a selector job. */
    public static List<String> runNodesOf(final JobSpec spec) {
        return spec.getSelector() != null ? spec.getPlacedNodeIds() : List.of(spec.getTargetNodeId());
    }

    /** Whether {@code spec} is a selector job that placement has not placed yet. */
    public static boolean awaitsPlacement(final JobSpec spec) {
        return spec.getSelector() != null && spec.getPlacedNodeIds().size() != spec.getSelector().getCount();
    }

    private static void validateFields(final JobSpec spec) throws InvalidScheduleException {
        requireId("jobId", spec.getJobId());
        requireId("owner", spec.getOwner());
        if (spec.getKind() != JobKind.CRON && spec.getKind() != JobKind.ONE_SHOT) {
            throw new InvalidScheduleException("kind: must be CRON or ONE_SHOT, was " + spec.getKind());
        }
        if (spec.getKind() == JobKind.ONE_SHOT && spec.getSchedule() != null && !spec.getSchedule().isBlank()) {
            throw new InvalidScheduleException("schedule: a ONE_SHOT job runs once at windowStart and takes no schedule");
        }
        if (spec.getSelector() != null) {
            validateSelector(spec);
        } else {
            requireId("targetNodeId", spec.getTargetNodeId());
            if (!spec.getPlacedNodeIds().isEmpty()) {
                throw new InvalidScheduleException("placedNodeIds: only a selector job is placed; this job names "
                        + "targetNodeId " + spec.getTargetNodeId());
            }
        }
        if (spec.getServerNodeId() != null) {
            requireId("serverNodeId", spec.getServerNodeId());
            if (spec.getServerNodeId().equals(spec.getTargetNodeId())
                    || spec.getPlacedNodeIds().contains(spec.getServerNodeId())) {
                throw new InvalidScheduleException("serverNodeId: must differ from the node(s) running the job ("
                        + runNodesOf(spec) + ")");
            }
        }
        zone(spec.getTimeZone());
        final long start = spec.getWindowStart().toEpochMilli();
        final long end = spec.getWindowEnd().toEpochMilli();
        if (end <= start) {
            throw new InvalidScheduleException("windowEnd: must be after windowStart (" + spec.getWindowStart()
                    + "), was " + spec.getWindowEnd());
        }
        if (end - start > MAX_WINDOW.toMillis()) {
            throw new InvalidScheduleException("windowEnd: the window may span at most " + MAX_WINDOW.toDays()
                    + " days, was " + Duration.ofMillis(end - start).toDays() + " days");
        }
        if (spec.getLengthSeconds() <= 0) {
            throw new InvalidScheduleException("lengthSeconds: must be positive, was " + spec.getLengthSeconds());
        }
        if (spec.getLengthSeconds() > MAX_LENGTH.toSeconds()) {
            throw new InvalidScheduleException("lengthSeconds: at most " + MAX_LENGTH.toSeconds() + " (31 days), was "
                    + spec.getLengthSeconds());
        }
        final int configBytes = spec.getExperimentConfig().getBytes(StandardCharsets.UTF_8).length;
        if (configBytes > MAX_CONFIG_BYTES) {
            throw new InvalidScheduleException("experimentConfig: at most " + MAX_CONFIG_BYTES + " bytes, was "
                    + configBytes);
        }
        if (spec.getTrigger() != null && !spec.getTrigger().isBlank()) {
            try {
                Trigger.compile(spec.getTrigger());
            } catch (final InvalidTriggerException e) {
                throw new InvalidScheduleException("trigger: " + e.getMessage());
            }
        }
        if (spec.getMissedRunPolicy() == MissedRunPolicy.RUN_ONCE_LATE
                && (spec.getStartingDeadlineSeconds() == null || spec.getStartingDeadlineSeconds() <= 0)) {
            throw new InvalidScheduleException(
                    "startingDeadlineSeconds: RUN_ONCE_LATE needs a positive starting deadline");
        }
    }

    private static void validateSelector(final JobSpec spec) throws InvalidScheduleException {
        final NodeSelector selector = spec.getSelector();
        if (spec.getTargetNodeId() != null) {
            throw new InvalidScheduleException("targetNodeId: a job names a target node or a selector, not both");
        }
        if (selector.getCount() < 1 || selector.getCount() > MAX_SELECTOR_COUNT) {
            throw new InvalidScheduleException("selector: count must be between 1 and " + MAX_SELECTOR_COUNT
                    + ", was " + selector.getCount());
        }
        if (!selector.getDistinct()) {
            throw new InvalidScheduleException("selector: distinct must be true; a node runs at most one copy of a job");
        }
        if (selector.getRegion() != null && (selector.getRegion().isBlank() || selector.getRegion().length() > 64)) {
            throw new InvalidScheduleException("selector: region must be 1 to 64 characters, or absent for any region");
        }
        if (selector.getTags().size() > MAX_SELECTOR_TAGS) {
            throw new InvalidScheduleException("selector: at most " + MAX_SELECTOR_TAGS + " tags, was "
                    + selector.getTags().size());
        }
        for (final String tag : selector.getTags()) {
            if (tag.isBlank() || tag.length() > 64) {
                throw new InvalidScheduleException("selector: tags must be 1 to 64 characters, was '"
                        + abbreviate(tag) + "'");
            }
        }
        final List<String> placed = spec.getPlacedNodeIds();
        if (placed.isEmpty()) {
            return; // not placed yet: placement will choose
        }
        if (placed.size() != selector.getCount() || new java.util.HashSet<>(placed).size() != placed.size()) {
            throw new InvalidScheduleException("placedNodeIds: must name " + selector.getCount()
                    + " distinct node(s), was " + placed);
        }
        for (final String node : placed) {
            requireId("placedNodeIds", node);
        }
    }

    private static void requireLengthWithinPeriod(final JobSpec spec, final long[] starts, final long length)
            throws InvalidScheduleException {
        long shortestGap = Long.MAX_VALUE;
        for (int i = 1; i < starts.length; i++) {
            shortestGap = Math.min(shortestGap, starts[i] - starts[i - 1]);
        }
        if (length > shortestGap) {
            throw new InvalidScheduleException("lengthSeconds: " + spec.getLengthSeconds()
                    + " s is longer than the schedule's shortest gap between runs (" + shortestGap / 1000
                    + " s), so the job would overlap itself");
        }
    }

    private static void requireId(final String field, final String value) throws InvalidScheduleException {
        if (value == null || value.isBlank()) {
            throw new InvalidScheduleException(field + ": required");
        }
        if (!ID.matcher(value).matches()) {
            throw new InvalidScheduleException(field + ": '" + abbreviate(value)
                    + "' must be 1-128 characters of letters, digits and . _ : @ -, starting with a letter or digit");
        }
    }

    private static ZoneId zone(final String name) throws InvalidScheduleException {
        try {
            return ZoneId.of(name == null ? "UTC" : name);
        } catch (final DateTimeException e) {
            throw new InvalidScheduleException("timeZone: '" + abbreviate(name) + "' is not an IANA time zone");
        }
    }

    private static String abbreviate(final String value) {
        return value == null || value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
