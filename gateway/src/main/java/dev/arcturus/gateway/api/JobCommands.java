package dev.arcturus.gateway.api;

import dev.arcturus.avro.DecisionOutcome;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobCommandType;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.PlacementCommand;
import dev.arcturus.avro.PlacementCommandType;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.events.JobDecisions;
import dev.arcturus.gateway.mapping.Protos;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a job command to admission and waits for its decision (up to the configured deadline). An accepted write is
 * then awaited in the view too, so the caller's next read shows it.
 */
final class JobCommands {
    private final Plane plane;

    JobCommands(final Plane plane) {
        this.plane = plane;
    }

    dev.arcturus.gateway.api.v1.JobDecision send(final JobRequest request) {
        final String commandId = UUID.randomUUID().toString();
        final JobCommand command = JobCommand.newBuilder()
                .setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock()))
                .setCommandId(commandId).setType(request.type()).setJobId(request.jobId()).setNodeId(request.nodeId())
                .setRequestedBy(request.requestedBy()).setSpec(request.spec()).setNotBefore(request.notBefore())
                .setExpectedVersion(request.expectedVersion()).build();
        final JobDecision decision = await(commandId,
                () -> plane.writer().send(TopicCatalog.JOB_COMMAND, request.key(), command));
        return withCurrentJob(request.type(), decision);
    }

    /** Hands a selector job to placement, which answers (after admission) under the same command id. */
    dev.arcturus.gateway.api.v1.JobDecision place(final JobSpec spec, final String requestedBy) {
        final String commandId = UUID.randomUUID().toString();
        final PlacementCommand command = PlacementCommand.newBuilder()
                .setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock()))
                .setType(PlacementCommandType.SUBMIT).setCommandId(commandId).setJobId(spec.getJobId())
                .setRequestedBy(requestedBy).setSpec(spec).build();
        final JobDecision decision = await(commandId,
                () -> plane.writer().send(TopicCatalog.PLACEMENT_COMMAND, spec.getJobId(), command));
        return withCurrentJob(JobCommandType.SCHEDULE, decision);
    }

    private JobDecision await(final String commandId, final Runnable send) {
        final var expected = plane.decisions().expect(commandId);
        try {
            send.run();
            return expected.get(plane.decisionDeadline().toMillis(), TimeUnit.MILLISECONDS);
        } catch (final TimeoutException e) {
            throw Status.DEADLINE_EXCEEDED.withDescription("no decision within "
                    + plane.decisionDeadline().toMillis() + " ms; command " + commandId
                    + " is queued and will still be decided (watch job events)").asRuntimeException();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted waiting for the decision").asRuntimeException();
        } catch (final ExecutionException e) {
            throw Status.INTERNAL.withDescription("decision reader failed").withCause(e).asRuntimeException();
        } finally {
            plane.decisions().forget(commandId);
        }
    }

    private dev.arcturus.gateway.api.v1.JobDecision withCurrentJob(final JobCommandType type,
                                                                   final JobDecision decision) {
        final var view = Protos.decision(decision).toBuilder();
        if (decision.getOutcome() != DecisionOutcome.ACCEPTED || decision.getJobId() == null) {
            return view.build();
        }
        if (type == JobCommandType.DELETE) {
            plane.view().awaitEntity(TopicCatalog.JOB_STATE, decision.getJobId(), (JobState state) -> state == null,
                    Duration.ofSeconds(5));
            return view.build();
        }
        final Optional<JobState> decided = JobDecisions.acceptedState(decision);
        if (decided.isPresent() && plane.view().showDecided(decided.get())) {
            // Answered from the decision itself: it carries the job's new state (no wait for a second topic).
            view.setJob(Protos.job(decided.get()));
        } else if (decision.getJobVersion() != null) {
            final long version = decision.getJobVersion();
            plane.view().awaitEntity(TopicCatalog.JOB_STATE, decision.getJobId(),
                    (JobState state) -> state != null && state.getVersion() >= version, Duration.ofSeconds(5))
                    .ifPresent(state -> view.setJob(Protos.job(state)));
        }
        return view.build();
    }
}
