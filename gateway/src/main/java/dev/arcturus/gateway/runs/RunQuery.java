package dev.arcturus.gateway.runs;

import dev.arcturus.avro.RunState;
import dev.arcturus.avro.RunStatus;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A search of run history, newest scheduled first. Empty strings and a null status mean "any"; {@code from} is
 * inclusive and {@code to} exclusive; {@code after} is the sort key of the last run of the previous page.
 *
 * @param visible what the caller may see (applied to every candidate)
 */
public record RunQuery(String jobId, String nodeId, String ownerId, RunStatus status, Instant from, Instant to,
                       Optional<String> after, int limit, Predicate<RunState> visible) {
    public RunQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
    }

    /** Every run, newest first, a page of {@code limit}. */
    public static RunQuery all(final int limit) {
        return new RunQuery("", "", "", null, Instant.MIN, Instant.MAX, Optional.empty(), limit, run -> true);
    }

    public RunQuery byJob(final String job) {
        return new RunQuery(job, nodeId, ownerId, status, from, to, after, limit, visible);
    }

    public RunQuery byNode(final String node) {
        return new RunQuery(jobId, node, ownerId, status, from, to, after, limit, visible);
    }

    public RunQuery byOwner(final String owner) {
        return new RunQuery(jobId, nodeId, owner, status, from, to, after, limit, visible);
    }

    public RunQuery between(final Instant start, final Instant end) {
        return new RunQuery(jobId, nodeId, ownerId, status, start, end, after, limit, visible);
    }

    public RunQuery after(final String sortKey) {
        return new RunQuery(jobId, nodeId, ownerId, status, from, to, Optional.of(sortKey), limit, visible);
    }

    public boolean matches(final RunState run) {
        return (jobId.isEmpty() || jobId.equals(run.getJobId()))
                && (nodeId.isEmpty() || nodeId.equals(run.getNodeId()))
                && (ownerId.isEmpty() || ownerId.equals(run.getOwnerId()))
                && (status == null || status == run.getStatus())
                && !run.getScheduledAt().isBefore(from) && run.getScheduledAt().isBefore(to)
                && visible.test(run);
    }
}
