package dev.arcturus.runs;

import dev.arcturus.avro.JobState;
import dev.arcturus.avro.RunState;
import dev.arcturus.avro.RunUpdate;
import dev.arcturus.streams.RefusedRecordException;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Whose a run is. The owner is its job's owner as the job-state topic says: an update that names another owner is
 * refused (dead-lettered with the reason), so a forged record cannot move a run — and with it a signed link to its
 * artifact — to someone else. A run whose job is gone (deleted since) keeps the owner it has; a run whose job was
 * never seen has none, so only ADMINs and its node see it.
 */
final class RunOwners {
    /** The owner of a run whose job the plane has never seen. */
    static final String UNOWNED = "";

    private final KeyValueStore<String, JobState> jobs;

    RunOwners(final KeyValueStore<String, JobState> jobs) {
        this.jobs = jobs;
    }

    String ownerOf(final RunUpdate update, final RunState current) {
        final JobState job = update.getJobId() == null ? null : jobs.get(update.getJobId());
        if (job == null) {
            return current != null ? current.getOwnerId() : UNOWNED;
        }
        final String owner = job.getSpec().getOwner();
        final String claimed = update.getOwnerId();
        if (claimed != null && !claimed.isBlank() && !claimed.equals(owner)) {
            throw new RefusedRecordException("ownerId: '" + claimed + "' is not the owner of job " + job.getJobId()
                    + "; a run's owner comes from its job");
        }
        return owner;
    }
}
