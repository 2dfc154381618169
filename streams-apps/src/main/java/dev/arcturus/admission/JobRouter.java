package dev.arcturus.admission;

import dev.arcturus.avro.AdmissionResult;
import dev.arcturus.avro.AdmissionStep;
import dev.arcturus.avro.AdmissionStepType;
import dev.arcturus.avro.DecisionOutcome;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobCommandType;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.JobKind;
import dev.arcturus.avro.JobLedger;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.JobStatus;
import dev.arcturus.avro.User;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.scheduling.schedule.InvalidScheduleException;
import dev.arcturus.scheduling.schedule.JobSpecs;
import dev.arcturus.streams.ProcessorClock;
import dev.arcturus.streams.RefusedRecordException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job side of admission, keyed by jobId: the single writer of each job's ledger. It validates commands, answers
 * retries from the decision store, serialises commands per job (one in flight, the rest queued), starts each
 * command's walk over its node calendars, and turns the calendars' verdict into the decision and the job state.
 */
final class JobRouter {
    private static final Logger log = LoggerFactory.getLogger(JobRouter.class);

    /** How often expired decisions are purged. */
    static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    private final Duration decisionRetention;
    private final Expansions expansions;
    /**
     * Ledgers read or changed while handling one record (and the local messages it leads to), written to the store
     * once when it is done ({@link #flush()}): a one-hop decision changes its ledger twice (in flight, decided).
     */
    private final Map<String, JobLedger> touched = new HashMap<>();
    private ProcessorContext<String, SpecificRecord> context;
    private AdmissionMail mail;
    private KeyValueStore<String, JobLedger> ledgers;
    private KeyValueStore<String, JobDecision> decisions;
    private Clock clock;
    private CommandAuthority authority;

    JobRouter(final Duration decisionRetention, final Expansions expansions) {
        this.decisionRetention = decisionRetention;
        this.expansions = expansions;
    }

    void init(final ProcessorContext<String, SpecificRecord> context, final AdmissionMail mail) {
        this.context = context;
        this.mail = mail;
        this.ledgers = context.getStateStore(AdmissionStores.JOB_LEDGER_STORE);
        final KeyValueStore<String, User> users = context.getStateStore(AdmissionStores.USERS_STORE);
        this.authority = new CommandAuthority(users::get);
        this.decisions = context.getStateStore(AdmissionStores.COMMAND_DECISION_STORE);
        this.clock = new ProcessorClock(context);
        context.schedule(PURGE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::purgeExpiredDecisions);
    }

    /** Retries are answered from the store for the retention period (that of the command topic), then forgotten. */
    private void purgeExpiredDecisions(final long now) {
        final Instant cutoff = Instant.ofEpochMilli(now).minus(decisionRetention);
        final List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, JobDecision> all = decisions.all()) {
            while (all.hasNext()) {
                final KeyValue<String, JobDecision> entry = all.next();
                if (entry.value.getMetadata().getOccurredAt().isBefore(cutoff)) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(decisions::delete);
        if (!expired.isEmpty()) {
            log.info("Purged {} decisions older than {}", expired.size(), decisionRetention);
        }
    }

    void onCommand(final String key, final JobCommand command) {
        final JobDecision earlier = decisions.get(command.getCommandId());
        if (earlier != null) {
            emit(earlier); // a retried request gets the decision already made, not a second one
            return;
        }
        final String problem = shapeProblem(key, command);
        if (problem != null) {
            reject(command, key, problem);
            return;
        }
        // One read of the job's ledger serves the requester check and the command itself.
        final JobLedger ledger = command.getJobId() == null ? null : ledgerOf(command.getJobId());
        // Before anything changes, so the dead-lettered command leaves no trace in the state.
        final String refused = authority.refusal(command, ledger == null ? null : ledger.getCurrent());
        if (refused != null) {
            throw new RefusedRecordException("job command " + command.getCommandId() + " (" + command.getType()
                    + " " + (command.getJobId() == null ? command.getNodeId() : command.getJobId()) + ") refused: "
                    + refused);
        }
        if (command.getType() == JobCommandType.DELETE_ALL_ON_NODE) {
            sendStep(command.getNodeId(), step(AdmissionStepType.DELETE_ALL, command, command.getNodeId(), null,
                    List.of(), List.of(command.getNodeId())));
            return;
        }
        if (ledger.getInFlight() != null) {
            ledger.getQueued().add(command);
        } else {
            start(ledger, command);
            drain(ledger);
        }
        save(ledger);
    }

    /** An empty ledger (no job, nothing in flight or queued) is removed rather than kept for ever. */
    private void save(final JobLedger ledger) {
        touched.put(ledger.getJobId(), ledger);
    }

    /** Writes the ledgers the last record changed; called once it and its local messages are handled. */
    void flush() {
        for (final JobLedger ledger : touched.values()) {
            if (ledger.getCurrent() == null && ledger.getInFlight() == null && ledger.getQueued().isEmpty()) {
                ledgers.delete(ledger.getJobId());
            } else {
                ledgers.put(ledger.getJobId(), ledger);
            }
        }
        touched.clear();
    }

    void onResult(final AdmissionResult result) {
        final JobLedger ledger = existingLedger(result.getJobId());
        if (ledger == null || ledger.getInFlight() == null
                || !ledger.getInFlight().getCommandId().equals(result.getCommandId())) {
            log.warn("Ignoring verdict for command {} of job {}: not in flight", result.getCommandId(),
                    result.getJobId());
            return;
        }
        final JobCommand command = ledger.getInFlight();
        ledger.setInFlight(null);
        if (result.getOutcome() == DecisionOutcome.ACCEPTED) {
            final JobState state = nextState(ledger.getCurrent(), result.getSpec());
            ledger.setCurrent(state);
            context.forward(new Record<>(state.getJobId(), (SpecificRecord) state, context.currentSystemTimeMs()),
                    AdmissionStores.STATE_SINK);
            final Instant start = command.getType() == JobCommandType.RESCHEDULE_NEAREST
                    ? result.getSpec().getWindowStart() : null;
            final JobDecision accepted = Decisions.accepted(command, state.getJobId(), state.getVersion(), start, null,
                    clock);
            // The job's new state rides on the decision, so whoever waits for the decision needs no second topic.
            accepted.setSpec(state.getSpec());
            accepted.setAssignedNodeIds(state.getAssignedNodeIds());
            decide(command, accepted);
        } else {
            decide(command, Decisions.rejected(command, result.getJobId(), result.getReason(),
                    result.getConflicts(), clock));
        }
        drain(ledger);
        save(ledger);
    }

    /** Starts queued commands until one is in flight (rejections and deletes finish at once). */
    private void drain(final JobLedger ledger) {
        while (ledger.getInFlight() == null && !ledger.getQueued().isEmpty()) {
            final JobCommand next = ledger.getQueued().remove(0);
            final JobDecision earlier = decisions.get(next.getCommandId());
            if (earlier != null) {
                emit(earlier);
            } else {
                start(ledger, next);
            }
        }
    }

    private void start(final JobLedger ledger, final JobCommand command) {
        final JobState current = ledger.getCurrent();
        switch (command.getType()) {
            case SCHEDULE -> {
                if (current != null) {
                    reject(command, command.getJobId(), "jobId: job " + command.getJobId()
                            + " already exists (version " + current.getVersion() + "); use MODIFY to change it");
                } else {
                    admit(ledger, command, command.getSpec(), List.of());
                }
            }
            case MODIFY -> {
                if (current == null) {
                    reject(command, command.getJobId(), "jobId: no job " + command.getJobId() + " to modify");
                } else if (command.getExpectedVersion() != null && command.getExpectedVersion() != current.getVersion()) {
                    reject(command, command.getJobId(), "expectedVersion: job " + command.getJobId() + " is at version "
                            + current.getVersion() + ", not " + command.getExpectedVersion() + " (it changed meanwhile)");
                } else {
                    admit(ledger, command, command.getSpec(), JobSpecs.nodesOf(current.getSpec()));
                }
            }
            case DELETE -> delete(ledger, command);
            case RESCHEDULE_NEAREST -> reschedule(ledger, command);
            default -> reject(command, command.getJobId(), "type: unsupported command type " + command.getType());
        }
    }

    private void admit(final JobLedger ledger, final JobCommand command, final JobSpec spec,
                       final List<String> previousNodes) {
        try {
            expansions.runsOf(spec);
        } catch (final InvalidScheduleException e) {
            reject(command, command.getJobId(), e.getMessage());
            return;
        }
        if (JobSpecs.awaitsPlacement(spec)) {
            reject(command, command.getJobId(), "placedNodeIds: a selector job is placed by the placement app; "
                    + "submit it through the gateway (or placement.command.v1)");
            return;
        }
        final List<String> newNodes = JobSpecs.nodesOf(spec);
        final TreeSet<String> visit = new TreeSet<>(newNodes);
        visit.addAll(previousNodes);
        ledger.setInFlight(command);
        final List<String> order = new ArrayList<>(visit);
        sendStep(order.get(0), step(AdmissionStepType.CHECK, command, command.getJobId(), spec, newNodes, order));
    }

    private void delete(final JobLedger ledger, final JobCommand command) {
        final JobState current = ledger.getCurrent();
        if (current == null) {
            reject(command, command.getJobId(), "jobId: no job " + command.getJobId() + " to delete");
            return;
        }
        // Removing runs can't create a conflict, so no lock is needed: each calendar drops the job when told.
        for (final String node : JobSpecs.nodesOf(current.getSpec())) {
            sendStep(node, step(AdmissionStepType.REMOVE, command, command.getJobId(), null, List.of(), List.of(node)));
        }
        ledger.setCurrent(null);
        context.forward(new Record<>(command.getJobId(), (SpecificRecord) null, context.currentSystemTimeMs()),
                AdmissionStores.STATE_SINK);
        decide(command, Decisions.accepted(command, command.getJobId(), current.getVersion(), null, null, clock));
    }

    private void reschedule(final JobLedger ledger, final JobCommand command) {
        final JobState current = ledger.getCurrent();
        if (current == null) {
            reject(command, command.getJobId(), "jobId: no job " + command.getJobId() + " to reschedule");
            return;
        }
        if (current.getSpec().getKind() != JobKind.ONE_SHOT) {
            reject(command, command.getJobId(), "type: only ONE_SHOT jobs can be rescheduled; job "
                    + command.getJobId() + " is " + current.getSpec().getKind());
            return;
        }
        final List<String> nodes = new ArrayList<>(new TreeSet<>(JobSpecs.nodesOf(current.getSpec())));
        final AdmissionStep step = step(AdmissionStepType.RESCHEDULE, command, command.getJobId(), current.getSpec(),
                JobSpecs.nodesOf(current.getSpec()), nodes);
        step.setNotBefore(command.getNotBefore() == null ? context.currentSystemTimeMs()
                : command.getNotBefore().toEpochMilli());
        ledger.setInFlight(command);
        sendStep(nodes.get(0), step);
    }

    private static String shapeProblem(final String key, final JobCommand command) {
        if (command.getCommandId() == null || command.getCommandId().isBlank()) {
            return "commandId: required";
        }
        if (command.getType() == JobCommandType.DELETE_ALL_ON_NODE) {
            return command.getNodeId() == null || command.getNodeId().isBlank() ? "nodeId: required" : null;
        }
        if (command.getType() == JobCommandType.UNKNOWN) {
            return "type: unknown command type";
        }
        if (command.getJobId() == null || command.getJobId().isBlank()) {
            return "jobId: required";
        }
        if (!command.getJobId().equals(key)) {
            return "jobId: the record key (" + key + ") must be the job id (" + command.getJobId() + ")";
        }
        final boolean needsSpec = command.getType() == JobCommandType.SCHEDULE
                || command.getType() == JobCommandType.MODIFY;
        if (needsSpec && command.getSpec() == null) {
            return "spec: required for " + command.getType();
        }
        if (needsSpec && !command.getJobId().equals(command.getSpec().getJobId())) {
            return "spec.jobId: must equal jobId (" + command.getJobId() + ")";
        }
        return null;
    }

    private JobState nextState(final JobState current, final JobSpec spec) {
        return JobState.newBuilder()
                .setMetadata(EventMetadatas.newMetadata(Decisions.PRODUCER, clock))
                .setJobId(spec.getJobId())
                .setVersion(current == null ? 1 : current.getVersion() + 1)
                .setStatus(JobStatus.ACTIVE)
                .setSpec(spec)
                .setAssignedNodeIds(new ArrayList<>(JobSpecs.runNodesOf(spec)))
                .build();
    }

    private JobLedger ledgerOf(final String jobId) {
        final JobLedger existing = existingLedger(jobId);
        return existing != null ? existing
                : JobLedger.newBuilder().setJobId(jobId).setQueued(new ArrayList<>()).build();
    }

    /** The job's ledger as this record left it, or as stored; null if it has none. */
    private JobLedger existingLedger(final String jobId) {
        final JobLedger pending = touched.get(jobId);
        if (pending != null) {
            return pending;
        }
        final JobLedger stored = ledgers.get(jobId);
        if (stored != null) {
            stored.setQueued(new ArrayList<>(stored.getQueued())); // decoded Avro arrays are not fully mutable
        }
        return stored;
    }

    private AdmissionStep step(final AdmissionStepType type, final JobCommand command, final String jobId,
                               final JobSpec spec, final List<String> newNodes, final List<String> visit) {
        return AdmissionStep.newBuilder()
                .setMetadata(EventMetadatas.newMetadata(Decisions.PRODUCER, clock))
                .setType(type)
                .setCommandId(command.getCommandId())
                .setCommandType(command.getType())
                .setJobId(jobId)
                .setSpec(spec)
                .setNewNodeIds(new ArrayList<>(newNodes))
                .setVisitNodeIds(new ArrayList<>(visit))
                .setIndex(0)
                .setBusy(new ArrayList<>())
                .build();
    }

    private void sendStep(final String nodeId, final AdmissionStep step) {
        mail.step(nodeId, step);
    }

    private void reject(final JobCommand command, final String jobId, final String reason) {
        decide(command, Decisions.rejected(command, jobId, reason, List.of(), clock));
    }

    private void decide(final JobCommand command, final JobDecision decision) {
        AdmissionMeters.decided(command, decision);
        decisions.put(decision.getCommandId(), decision);
        emit(decision);
    }

    private void emit(final JobDecision decision) {
        final String key = decision.getJobId() != null ? decision.getJobId() : decision.getCommandId();
        context.forward(new Record<>(key, (SpecificRecord) decision, context.currentSystemTimeMs()),
                AdmissionStores.DECISION_SINK);
    }
}
