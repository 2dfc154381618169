package dev.arcturus.admission;

import dev.arcturus.admission.calendar.Conflict;
import dev.arcturus.admission.calendar.FreeSlots;
import dev.arcturus.admission.calendar.NodeCalendar;
import dev.arcturus.avro.AdmissionResult;
import dev.arcturus.avro.AdmissionStep;
import dev.arcturus.avro.AdmissionStepType;
import dev.arcturus.avro.BusyInterval;
import dev.arcturus.avro.CalendarJob;
import dev.arcturus.avro.DecisionOutcome;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobCommandType;
import dev.arcturus.avro.JobConflict;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.avro.NodeCalendarState;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.scheduling.schedule.InvalidScheduleException;
import dev.arcturus.scheduling.schedule.JobRuns;
import dev.arcturus.streams.ProcessorClock;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node side of admission, keyed by nodeId: the single writer of each node's calendar.
 *
 * <p>A command visits its nodes in sorted order. At each node but the last it checks the candidate against the
 * calendar and, if clear, <em>reserves</em> the calendar (later steps for that node wait in arrival order) before
 * moving on; the last node checks, commits, and tells the earlier nodes to commit; any conflict releases the earlier
 * reservations. Because every command takes its locks in the same (sorted) order, two commands can never wait for
 * each other, and because a reserved calendar admits nothing else, no two accepted exclusive runs ever overlap on a
 * node. See DESIGN.md.
 */
final class NodeCalendars {
    private static final Logger log = LoggerFactory.getLogger(NodeCalendars.class);

    private final int maxConflicts;
    private final int maxCachedRuns;
    private ProcessorContext<String, SpecificRecord> context;
    private AdmissionMail mail;
    private KeyValueStore<String, NodeCalendarState> calendars;
    private Clock clock;
    /** Expanded calendars, derived from the store; rebuilt on demand (e.g. after the task moves). */
    private final Map<String, NodeCalendar> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedRuns;
    private final Expansions expansions;

    NodeCalendars(final int maxConflicts, final int maxCachedRuns, final Expansions expansions) {
        this.maxConflicts = maxConflicts;
        this.maxCachedRuns = maxCachedRuns;
        this.expansions = expansions;
    }

    void init(final ProcessorContext<String, SpecificRecord> context, final AdmissionMail mail) {
        this.context = context;
        this.mail = mail;
        this.calendars = context.getStateStore(AdmissionStores.NODE_CALENDAR_STORE);
        this.clock = new ProcessorClock(context);
    }

    void onStep(final String nodeId, final AdmissionStep step) {
        final NodeCalendarState state = stateOf(nodeId);
        switch (step.getType()) {
            case CHECK, RESCHEDULE -> {
                if (state.getReservation() != null) {
                    state.getWaiting().add(step); // the calendar is locked by another command: wait in order
                } else {
                    visit(state, step);
                    drain(state);
                }
            }
            case COMMIT -> {
                apply(state, step.getJobId(), step.getSpec(), step.getNewNodeIds());
                clearReservation(state, step);
                drain(state);
            }
            case RELEASE -> {
                clearReservation(state, step);
                drain(state);
            }
            case REMOVE -> apply(state, step.getJobId(), null, List.of());
            case DELETE_ALL -> deleteAll(state, step);
            default -> log.warn("Ignoring admission step of unknown type {} for node {}, command {}",
                    step.getType(), nodeId, step.getCommandId());
        }
        calendars.put(nodeId, state);
    }

    private void visit(final NodeCalendarState state, final AdmissionStep step) {
        final String nodeId = state.getNodeId();
        final boolean occupies = step.getNewNodeIds().contains(nodeId);
        if (occupies && !state.getRegistered()) {
            fail(step, field(step, nodeId) + ": unknown node " + nodeId, List.of());
            return;
        }
        final JobSpec spec = step.getSpec();
        if (step.getType() == AdmissionStepType.RESCHEDULE) {
            if (!findSlot(state, step)) {
                return;
            }
        } else if (occupies && spec.getExclusive()) {
            final List<Conflict> conflicts = calendarOf(state).conflicts(runsOf(spec), spec.getJobId(), maxConflicts);
            if (!conflicts.isEmpty()) {
                fail(step, "conflict: overlaps " + conflicts.size() + (conflicts.size() >= maxConflicts ? "+" : "")
                        + " accepted exclusive job(s) on node " + nodeId, Decisions.toAvro(conflicts, nodeId));
                return;
            }
        }
        final List<String> visit = step.getVisitNodeIds();
        if (step.getIndex() < visit.size() - 1) {
            state.setReservation(step);
            final AdmissionStep next = AdmissionStep.newBuilder(step).setIndex(step.getIndex() + 1).build();
            send(visit.get(step.getIndex() + 1), next);
            return;
        }
        apply(state, step.getJobId(), step.getSpec(), step.getNewNodeIds());
        for (int i = 0; i < step.getIndex(); i++) {
            send(visit.get(i), AdmissionStep.newBuilder(step).setType(AdmissionStepType.COMMIT).setIndex(i)
                    .setBusy(new ArrayList<>()).build());
        }
        result(step, DecisionOutcome.ACCEPTED, null, List.of(), step.getSpec());
    }

    /** RESCHEDULE: gathers busy time along the walk; the last node picks the earliest common free slot. */
    private boolean findSlot(final NodeCalendarState state, final AdmissionStep step) {
        final JobSpec spec = step.getSpec();
        final long notBefore = step.getNotBefore();
        final long deadline = spec.getWindowEnd().toEpochMilli();
        if (spec.getExclusive()) {
            for (final long[] busy : calendarOf(state).busyBetween(notBefore, deadline, spec.getJobId(), 100_000)) {
                step.getBusy().add(new BusyInterval(busy[0], busy[1]));
            }
        }
        if (step.getIndex() < step.getVisitNodeIds().size() - 1) {
            return true;
        }
        final List<long[]> busy = step.getBusy().stream().map(b -> new long[] {b.getStart(), b.getEnd()}).toList();
        final long length = spec.getLengthSeconds() * 1000L;
        final OptionalLong slot = FreeSlots.earliest(busy, notBefore, length, deadline);
        if (slot.isEmpty()) {
            fail(step, "notBefore: no free slot of " + spec.getLengthSeconds() + " s between "
                    + Instant.ofEpochMilli(notBefore) + " and the deadline " + spec.getWindowEnd() + " on nodes "
                    + step.getVisitNodeIds(), List.of());
            return false;
        }
        step.setSpec(JobSpec.newBuilder(spec).setWindowStart(Instant.ofEpochMilli(slot.getAsLong())).build());
        return true;
    }

    private void fail(final AdmissionStep step, final String reason, final List<JobConflict> conflicts) {
        for (int i = 0; i < step.getIndex(); i++) {
            send(step.getVisitNodeIds().get(i), AdmissionStep.newBuilder(step).setType(AdmissionStepType.RELEASE)
                    .setIndex(i).setBusy(new ArrayList<>()).build());
        }
        result(step, DecisionOutcome.REJECTED, reason, conflicts, null);
    }

    private void deleteAll(final NodeCalendarState state, final AdmissionStep step) {
        final JobCommand request = JobCommand.newBuilder().setMetadata(EventMetadatas.newMetadata(Decisions.PRODUCER, clock))
                .setCommandId(step.getCommandId()).setType(JobCommandType.DELETE_ALL_ON_NODE)
                .setNodeId(state.getNodeId()).setRequestedBy("admission").build();
        final JobDecision decision;
        if (!state.getRegistered() && state.getJobs().isEmpty()) {
            decision = Decisions.rejected(request, null, "nodeId: unknown node " + state.getNodeId(), List.of(), clock);
        } else {
            // Each job is deleted through its own router, like any DELETE, so per-job ordering still holds.
            for (final CalendarJob job : state.getJobs()) {
                final String jobId = job.getSpec().getJobId();
                final JobCommand delete = JobCommand.newBuilder(request).setType(JobCommandType.DELETE)
                        .setCommandId(step.getCommandId() + "/" + jobId).setJobId(jobId).setNodeId(null).build();
                context.forward(new Record<>(jobId, (SpecificRecord) delete, context.currentSystemTimeMs()),
                        AdmissionStores.COMMAND_SINK);
            }
            decision = Decisions.accepted(request, null, null, null,
                    "deleting " + state.getJobs().size() + " job(s) on node " + state.getNodeId(), clock);
        }
        context.forward(new Record<>(state.getNodeId(), (SpecificRecord) decision, context.currentSystemTimeMs()),
                AdmissionStores.NODE_DECISION_SINK);
    }

    /** Puts a job version on this node's calendar (or takes it off, when this node is not among its nodes). */
    private void apply(final NodeCalendarState state, final String jobId, final JobSpec spec,
                       final List<String> newNodes) {
        state.getJobs().removeIf(j -> j.getSpec().getJobId().equals(jobId));
        final NodeCalendar calendar = cache.get(state.getNodeId());
        if (calendar != null) {
            cachedRuns -= calendar.runCount();
            calendar.remove(jobId);
        }
        if (spec != null && newNodes.contains(state.getNodeId())) {
            state.getJobs().add(new CalendarJob(spec));
            if (calendar != null && spec.getExclusive()) {
                calendar.add(runsOf(spec));
            }
        }
        if (calendar != null) {
            cachedRuns += calendar.runCount();
            evictIfOverBudget();
        }
    }

    private void drain(final NodeCalendarState state) {
        while (state.getReservation() == null && !state.getWaiting().isEmpty()) {
            visit(state, state.getWaiting().remove(0));
        }
    }

    private static void clearReservation(final NodeCalendarState state, final AdmissionStep step) {
        if (state.getReservation() != null && state.getReservation().getCommandId().equals(step.getCommandId())) {
            state.setReservation(null);
        }
    }

    private NodeCalendar calendarOf(final NodeCalendarState state) {
        NodeCalendar calendar = cache.get(state.getNodeId());
        if (calendar == null) {
            calendar = new NodeCalendar();
            for (final CalendarJob job : state.getJobs()) {
                if (job.getSpec().getExclusive()) {
                    calendar.add(runsOf(job.getSpec()));
                }
            }
            cache.put(state.getNodeId(), calendar);
            cachedRuns += calendar.runCount();
            evictIfOverBudget();
        }
        return calendar;
    }

    private void evictIfOverBudget() {
        final var eldest = cache.entrySet().iterator();
        while (cachedRuns > maxCachedRuns && cache.size() > 1 && eldest.hasNext()) {
            cachedRuns -= eldest.next().getValue().runCount();
            eldest.remove();
        }
    }

    /** The check and the commit of a step expand the same spec; expanding once saves a third of the work. */
    private JobRuns runsOf(final JobSpec spec) {
        try {
            return expansions.runsOf(spec);
        } catch (final InvalidScheduleException e) {
            // Only validated specs reach a calendar; failing here means a bug, not bad input.
            throw new IllegalStateException("accepted job " + spec.getJobId() + " no longer expands: " + e.getMessage(), e);
        }
    }

    private NodeCalendarState stateOf(final String nodeId) {
        final NodeCalendarState existing = calendars.get(nodeId);
        if (existing == null) {
            return NodeCalendarState.newBuilder().setNodeId(nodeId)
                    .setJobs(new ArrayList<>()).setWaiting(new ArrayList<>()).build();
        }
        // Avro's decoded arrays can't remove through iterators; work on plain lists.
        existing.setJobs(new ArrayList<>(existing.getJobs()));
        existing.setWaiting(new ArrayList<>(existing.getWaiting()));
        return existing;
    }

    private static String field(final AdmissionStep step, final String nodeId) {
        if (step.getSpec() != null && nodeId.equals(step.getSpec().getServerNodeId())) {
            return "serverNodeId";
        }
        return step.getSpec() != null && step.getSpec().getSelector() != null ? "placedNodeIds" : "targetNodeId";
    }

    private void send(final String nodeId, final AdmissionStep step) {
        step.setMetadata(EventMetadatas.newMetadata(Decisions.PRODUCER, clock)); // each message is its own event
        mail.step(nodeId, step);
    }

    private void result(final AdmissionStep step, final DecisionOutcome outcome, final String reason,
                        final List<JobConflict> conflicts, final JobSpec spec) {
        final AdmissionResult result = AdmissionResult.newBuilder()
                .setMetadata(EventMetadatas.newMetadata(Decisions.PRODUCER, clock)).setCommandId(step.getCommandId())
                .setJobId(step.getJobId()).setOutcome(outcome).setReason(reason).setConflicts(conflicts)
                .setSpec(spec).build();
        mail.result(step.getJobId(), result);
    }
}
