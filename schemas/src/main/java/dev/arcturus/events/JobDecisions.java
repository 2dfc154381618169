package dev.arcturus.events;

import dev.arcturus.avro.DecisionOutcome;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.JobStatus;
import java.util.ArrayList;
import java.util.Optional;

/** What a decision record says about the job it decided. */
public final class JobDecisions {
    private JobDecisions() {
    }

    /**
     * The job's state after an accepted SCHEDULE, MODIFY or RESCHEDULE_NEAREST that carries it (admission writes the
     * spec and nodes on the decision, in the same transaction as the state record); empty for rejections, deletes
     * and decisions from writers that do not carry it.
     */
    public static Optional<JobState> acceptedState(final JobDecision decision) {
        if (decision.getOutcome() != DecisionOutcome.ACCEPTED || decision.getSpec() == null
                || decision.getJobId() == null || decision.getJobVersion() == null) {
            return Optional.empty();
        }
        return Optional.of(JobState.newBuilder()
                .setMetadata(decision.getMetadata())
                .setJobId(decision.getJobId())
                .setVersion(decision.getJobVersion())
                .setStatus(JobStatus.ACTIVE)
                .setSpec(decision.getSpec())
                .setAssignedNodeIds(new ArrayList<>(decision.getAssignedNodeIds()))
                .build());
    }
}
