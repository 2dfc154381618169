package dev.arcturus.gateway.api;

import dev.arcturus.avro.JobCommandType;
import dev.arcturus.avro.JobSpec;
import java.time.Instant;

/**
 * One job command as the API asks admission for it: which kind, on which job (or, for a node-wide delete, which
 * node), by whom, and what only some kinds carry. Built by the named factories, so a call site says what it asks.
 *
 * @param expectedVersion for a modify of a placed job: the version read, so a concurrent move is reported, not lost
 */
record JobRequest(JobCommandType type, String jobId, String nodeId, JobSpec spec, String requestedBy,
                  Instant notBefore, Long expectedVersion) {

    static JobRequest schedule(final JobSpec spec, final String requestedBy) {
        return new JobRequest(JobCommandType.SCHEDULE, spec.getJobId(), null, spec, requestedBy, null, null);
    }

    static JobRequest modify(final JobSpec spec, final String requestedBy, final Long expectedVersion) {
        return new JobRequest(JobCommandType.MODIFY, spec.getJobId(), null, spec, requestedBy, null, expectedVersion);
    }

    static JobRequest delete(final String jobId, final String requestedBy) {
        return new JobRequest(JobCommandType.DELETE, jobId, null, null, requestedBy, null, null);
    }

    static JobRequest deleteAllOnNode(final String nodeId, final String requestedBy) {
        return new JobRequest(JobCommandType.DELETE_ALL_ON_NODE, null, nodeId, null, requestedBy, null, null);
    }

    static JobRequest rescheduleNearest(final String jobId, final String requestedBy, final Instant notBefore) {
        return new JobRequest(JobCommandType.RESCHEDULE_NEAREST, jobId, null, null, requestedBy, notBefore, null);
    }

    /** The command topic's key: the job, or the node for a node-wide delete (admission routes by it). */
    String key() {
        return jobId != null ? jobId : nodeId;
    }
}
