package dev.arcturus.admission;

import dev.arcturus.admission.calendar.Conflict;
import dev.arcturus.avro.DecisionOutcome;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobConflict;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.events.EventMetadatas;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Builds decision records. */
final class Decisions {
    static final String PRODUCER = "admission";

    private Decisions() {
    }

    static JobDecision rejected(final JobCommand command, final String jobId, final String reason,
                                final List<JobConflict> conflicts, final Clock clock) {
        return JobDecision.newBuilder()
                .setMetadata(EventMetadatas.newMetadata(PRODUCER, clock))
                .setCommandId(command.getCommandId())
                .setCommandType(command.getType())
                .setRequestedBy(command.getRequestedBy())
                .setOwner(ownerOf(command))
                .setJobId(jobId)
                .setOutcome(DecisionOutcome.REJECTED)
                .setReason(reason)
                .setConflicts(conflicts)
                .build();
    }

    static JobDecision accepted(final JobCommand command, final String jobId, final Long version,
                                final Instant scheduledStart, final String note, final Clock clock) {
        return JobDecision.newBuilder()
                .setMetadata(EventMetadatas.newMetadata(PRODUCER, clock))
                .setCommandId(command.getCommandId())
                .setCommandType(command.getType())
                .setRequestedBy(command.getRequestedBy())
                .setOwner(ownerOf(command))
                .setJobId(jobId)
                .setOutcome(DecisionOutcome.ACCEPTED)
                .setReason(note)
                .setJobVersion(version)
                .setScheduledStart(scheduledStart)
                .build();
    }

    private static String ownerOf(final JobCommand command) {
        return command.getSpec() == null || command.getSpec().getOwner().isEmpty() ? null
                : command.getSpec().getOwner();
    }

    static List<JobConflict> toAvro(final List<Conflict> conflicts, final String nodeId) {
        return conflicts.stream().map(c -> JobConflict.newBuilder().setJobId(c.jobId()).setNodeId(nodeId)
                .setOverlapStart(Instant.ofEpochMilli(c.overlapStart()))
                .setOverlapEnd(Instant.ofEpochMilli(c.overlapEnd())).build()).toList();
    }
}
