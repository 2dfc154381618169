package dev.arcturus.placement;

import dev.arcturus.avro.DecisionOutcome;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobCommandType;
import dev.arcturus.avro.JobConflict;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.JobStatus;
import dev.arcturus.avro.LivenessState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.NodeSelector;
import dev.arcturus.avro.PlacementAction;
import dev.arcturus.avro.PlacementActionType;
import dev.arcturus.avro.PlacementCommand;
import dev.arcturus.avro.PlacementJobMemory;
import dev.arcturus.avro.PlacementLeaderState;
import dev.arcturus.avro.PlacementPending;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.scheduling.schedule.InvalidScheduleException;
import dev.arcturus.scheduling.schedule.JobSpecs;
import dev.arcturus.streams.ProcessorClock;
import io.micrometer.core.instrument.Metrics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The placement leader: the one task of the single-partition {@code placement.command.v1}, so however many instances
 * run, exactly one acts (a second one is fenced by its transactional epoch if it was the old owner).
 *
 * <p>It places SUBMITted selector jobs on the least loaded matching healthy nodes, as admission requests (so
 * exclusivity is admission's to enforce; a conflict moves on to the next nodes), answers the caller with a
 * JobDecision under the caller's command id, and on a wall-clock tick evacuates GONE nodes and balances the fleet
 * ({@link PlacementPlanner}). Every action has a deterministic id; admission's command id is {@code placement:<id>},
 * which admission de-duplicates, and a move carries the job version it was planned on, so a replayed, late or
 * duplicate action never applies twice or over a researcher's change.
 */
final class PlacementProcessor implements Processor<String, PlacementCommand, String, SpecificRecord> {
    static final String COMMAND_PREFIX = "placement:";
    static final String LEADER_KEY = "leader";
    private static final Logger log = LoggerFactory.getLogger(PlacementProcessor.class);

    private final PlacementPolicy policy;
    private final String producer;
    private final PlacementPlanner planner;
    private final JobWeights weights = new JobWeights();
    private ProcessorContext<String, SpecificRecord> context;
    private Clock clock;
    private KeyValueStore<String, PlacementPending> pending;
    private KeyValueStore<String, PlacementJobMemory> memory;
    private KeyValueStore<String, PlacementLeaderState> leader;
    private ReadOnlyKeyValueStore<String, NodeRegistration> registrations;
    private ReadOnlyKeyValueStore<String, NodeLiveness> liveness;
    private ReadOnlyKeyValueStore<String, JobState> jobs;
    /** The latest tick's fleet, kept up to date with placements until the next tick rebuilds it. */
    private Fleet fleet;

    PlacementProcessor(final PlacementPolicy policy, final String instanceId) {
        this.policy = policy;
        this.producer = "placement/" + instanceId;
        this.planner = new PlacementPlanner(policy);
    }

    @Override
    public void init(final ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.clock = new ProcessorClock(context);
        this.pending = context.getStateStore(PlacementTopology.PENDING_STORE);
        this.memory = context.getStateStore(PlacementTopology.MEMORY_STORE);
        this.leader = context.getStateStore(PlacementTopology.LEADER_STORE);
        this.registrations = context.getStateStore(PlacementTopology.NODES_STORE);
        this.liveness = context.getStateStore(PlacementTopology.LIVENESS_STORE);
        this.jobs = context.getStateStore(PlacementTopology.JOBS_STORE);
        context.schedule(policy.tick(), PunctuationType.WALL_CLOCK_TIME, now -> tick());
    }

    @Override
    public void process(final Record<String, PlacementCommand> record) {
        final PlacementCommand command = record.value();
        if (command == null) {
            return;
        }
        switch (command.getType()) {
            case SUBMIT -> submit(command);
            case DECISION -> onDecision(command.getDecision());
            default -> log.warn("Ignoring placement command {} of type {} for job {}", command.getCommandId(),
                    command.getType(), command.getJobId());
        }
    }

    // --- placing a selector job -----------------------------------------------------------------------------

    private void submit(final PlacementCommand command) {
        final String problem = submitProblem(command);
        if (problem != null) {
            answer(command.getCommandId(), command.getJobId(), command.getRequestedBy(), command.getSpec(),
                    rejected(problem, List.of()));
            return;
        }
        final PlacementPending place = PlacementPending.newBuilder().setJobId(command.getJobId())
                .setActionId("").setType(PlacementActionType.PLACE).setCallerCommandId(command.getCommandId())
                .setRequestedBy(command.getRequestedBy()).setSpec(command.getSpec())
                .setReason("placed by selector " + describe(command.getSpec().getSelector()))
                .setTick(leaderState().getTick()).setAttempt(0).setSentAt(clock.instant()).build();
        attempt(place);
    }

    private String submitProblem(final PlacementCommand command) {
        final JobSpec spec = command.getSpec();
        if (spec == null || spec.getSelector() == null) {
            return "selector: required; a job with a target node goes straight to admission";
        }
        if (!spec.getJobId().equals(command.getJobId())) {
            return "spec.jobId: must equal jobId (" + command.getJobId() + ")";
        }
        try {
            JobSpecs.expand(spec);
        } catch (final InvalidScheduleException e) {
            return e.getMessage();
        }
        if (jobs.get(spec.getJobId()) != null || pending.get(spec.getJobId()) != null) {
            return "jobId: job " + spec.getJobId() + " already exists; use MODIFY to change it";
        }
        return null;
    }

    /**
     * Sends the next admission request for a PLACE or an evacuation: the least loaded matching healthy nodes not
     * excluded by earlier conflicts. A PLACE that runs out of nodes is answered with a rejection; an evacuation with
     * nowhere to go waits for the next tick. The chosen nodes are charged in the fleet at once, so the next request
     * before admission answers does not pick the same ones.
     */
    private void attempt(final PlacementPending action) {
        final JobSpec spec = action.getSpec();
        final boolean place = action.getType() == PlacementActionType.PLACE;
        final Set<String> exclude = new HashSet<>(action.getExcludedNodeIds());
        final Fleet current = currentFleet();
        final PlacedJob charged = current.job(action.getJobId());
        current.remove(action.getJobId()); // its own earlier attempt must not count against the candidates
        final List<String> nodes;
        final List<String> to;
        if (place) {
            final int count = spec.getSelector().getCount();
            nodes = current.leastLoaded(spec.getSelector(), exclude, count, this::healthyNow);
            if (nodes.size() < count) {
                finishPlace(action, rejected("selector: " + nodes.size() + " of the " + count + " node(s) needed are "
                        + "healthy, match " + describe(spec.getSelector()) + " and are free"
                        + (exclude.isEmpty() ? "" : " (conflicts on " + exclude.size() + " node(s))"), List.of()));
                return;
            }
            to = nodes;
        } else {
            exclude.addAll(spec.getPlacedNodeIds());
            to = current.leastLoaded(spec.getSelector(), exclude, 1, this::healthyNow);
            if (to.isEmpty()) {
                log.warn("Job {}: no healthy node matching {} can take it from {}; retrying next tick",
                        action.getJobId(), describe(spec.getSelector()), action.getFromNodeIds());
                pending.delete(action.getJobId());
                if (charged != null) {
                    current.add(charged); // it stays where it is until the next tick
                }
                return;
            }
            nodes = replaced(spec.getPlacedNodeIds(), action.getFromNodeIds().get(0), to.get(0));
        }
        final int attempt = action.getAttempt() + 1;
        final long version = jobVersion(action.getJobId());
        final String basis = place ? "command " + action.getCallerCommandId() + " attempt " + attempt
                : "version " + version;
        final PlacementPending sent = PlacementPending.newBuilder(action).setAttempt(attempt).setToNodeIds(to)
                .setActionId(actionId(action.getType(), spec.getJobId(), basis, action.getFromNodeIds(), to))
                .setSentAt(clock.instant()).build();
        pending.put(sent.getJobId(), sent);
        final double weight = place ? JobWeights.compute(spec) : weights.weightOf(spec.getJobId(), version, spec);
        current.add(new PlacedJob(spec.getJobId(), version, weight, nodes, spec.getSelector(), false));
        sendToAdmission(sent, JobSpec.newBuilder(spec).setPlacedNodeIds(nodes).build(), place ? null : version);
    }

    /** A move carries the version it was planned on, so admission refuses it if the job changed meanwhile. */
    private void sendToAdmission(final PlacementPending action, final JobSpec spec, final Long expectedVersion) {
        final boolean place = action.getType() == PlacementActionType.PLACE;
        final JobCommand command = JobCommand.newBuilder()
                .setMetadata(EventMetadatas.newMetadata(producer, clock))
                .setCommandId(COMMAND_PREFIX + action.getActionId())
                .setType(place ? JobCommandType.SCHEDULE : JobCommandType.MODIFY)
                .setJobId(action.getJobId()).setRequestedBy(action.getRequestedBy()).setSpec(spec)
                .setExpectedVersion(expectedVersion)
                .build();
        context.forward(new Record<>(action.getJobId(), (SpecificRecord) command, context.currentSystemTimeMs()),
                PlacementTopology.ADMISSION_SINK);
    }

    // --- admission's answers --------------------------------------------------------------------------------

    private void onDecision(final JobDecision decision) {
        if (decision == null || decision.getJobId() == null) {
            return;
        }
        final PlacementPending action = pending.get(decision.getJobId());
        if (action == null || !(COMMAND_PREFIX + action.getActionId()).equals(decision.getCommandId())) {
            log.debug("Ignoring decision {} for job {}: not the action in flight", decision.getCommandId(),
                    decision.getJobId());
            return;
        }
        if (decision.getOutcome() == DecisionOutcome.ACCEPTED) {
            accepted(action, decision);
            return;
        }
        final List<String> conflictNodes = decision.getConflicts().stream().map(JobConflict::getNodeId).distinct()
                .toList();
        final boolean retry = !conflictNodes.isEmpty() && action.getAttempt() < policy.maxPlaceAttempts()
                && (action.getType() == PlacementActionType.PLACE || action.getEvacuation());
        if (retry) {
            final List<String> excluded = new ArrayList<>(action.getExcludedNodeIds());
            excluded.addAll(conflictNodes);
            attempt(PlacementPending.newBuilder(action).setExcludedNodeIds(excluded).build());
        } else if (action.getType() == PlacementActionType.PLACE) {
            currentFleet().remove(action.getJobId());
            finishPlace(action, rejected(decision.getReason(), decision.getConflicts()));
        } else {
            log.info("Move {} of job {} from {} to {} rejected: {}", action.getActionId(), action.getJobId(),
                    action.getFromNodeIds(), action.getToNodeIds(), decision.getReason());
            pending.delete(action.getJobId());
            remember(action.getJobId(), jobVersion(action.getJobId())); // cool down instead of retrying at once
        }
    }

    private void accepted(final PlacementPending action, final JobDecision decision) {
        pending.delete(action.getJobId());
        final long version = decision.getJobVersion() == null ? 0 : decision.getJobVersion();
        remember(action.getJobId(), version);
        final PlacementAction record = PlacementAction.newBuilder()
                .setMetadata(EventMetadatas.newMetadata(producer, clock)).setActionId(action.getActionId())
                .setType(action.getType()).setJobId(action.getJobId()).setFromNodeIds(action.getFromNodeIds())
                .setToNodeIds(action.getToNodeIds()).setReason(action.getReason()).setTick(action.getTick())
                .setImbalanceBefore(action.getImbalanceBefore()).setImbalanceAfter(action.getImbalanceAfter()).build();
        context.forward(new Record<>(action.getJobId(), (SpecificRecord) record, context.currentSystemTimeMs()),
                PlacementTopology.ACTION_SINK);
        Metrics.counter("arcturus.placement.actions", "type", action.getType().name()).increment();
        log.info("Placement {} {} of job {}: {} -> {} ({})", action.getType(), action.getActionId(), action.getJobId(),
                action.getFromNodeIds(), action.getToNodeIds(), action.getReason());
        if (action.getType() == PlacementActionType.PLACE) {
            finishPlace(action, JobDecision.newBuilder().setMetadata(EventMetadatas.newMetadata(producer, clock))
                    .setCommandId("").setJobId(action.getJobId()).setOutcome(DecisionOutcome.ACCEPTED)
                    .setReason("placed on " + String.join(", ", action.getToNodeIds()))
                    .setJobVersion(decision.getJobVersion()).setCommandType(JobCommandType.SCHEDULE).build());
        }
    }

    private void finishPlace(final PlacementPending action, final JobDecision answer) {
        pending.delete(action.getJobId());
        answer(action.getCallerCommandId(), action.getJobId(), action.getRequestedBy(), action.getSpec(), answer);
    }

    private void answer(final String callerCommandId, final String jobId, final String requestedBy,
                        final JobSpec spec, final JobDecision answer) {
        answer.setCommandId(callerCommandId);
        answer.setRequestedBy(requestedBy.isEmpty() ? null : requestedBy);
        answer.setOwner(spec == null || spec.getOwner().isEmpty() ? null : spec.getOwner());
        answer.setJobId(jobId);
        answer.setCommandType(JobCommandType.SCHEDULE);
        context.forward(new Record<>(jobId, (SpecificRecord) answer, context.currentSystemTimeMs()),
                PlacementTopology.DECISION_SINK);
    }

    private JobDecision rejected(final String reason, final List<JobConflict> conflicts) {
        return JobDecision.newBuilder().setMetadata(EventMetadatas.newMetadata(producer, clock)).setCommandId("")
                .setOutcome(DecisionOutcome.REJECTED).setReason(reason).setConflicts(conflicts).build();
    }

    // --- the tick ---------------------------------------------------------------------------------------------

    private void tick() {
        final PlacementLeaderState state = leaderState();
        final long tick = state.getTick() + 1;
        final long started = System.nanoTime();
        fleet = buildFleet();
        final Plan plan = planner.plan(fleet, state.getRebalancing(), this::healthyNow);
        for (final Move move : plan.moves()) {
            final JobState job = jobs.get(move.jobId());
            final PlacementPending action = PlacementPending.newBuilder().setJobId(move.jobId())
                    .setActionId(actionId(PlacementActionType.TRANSFER, move.jobId(), "version " + move.jobVersion(),
                            List.of(move.from()), List.of(move.to())))
                    .setType(PlacementActionType.TRANSFER).setEvacuation(move.evacuation()).setRequestedBy("placement")
                    .setSpec(job.getSpec())
                    .setFromNodeIds(List.of(move.from())).setToNodeIds(List.of(move.to()))
                    .setReason(move.reason()).setTick(tick).setAttempt(1)
                    .setImbalanceBefore(move.imbalanceBefore()).setImbalanceAfter(move.imbalanceAfter())
                    .setSentAt(clock.instant()).build();
            pending.put(move.jobId(), action);
            sendToAdmission(action, JobSpec.newBuilder(job.getSpec())
                    .setPlacedNodeIds(replaced(job.getSpec().getPlacedNodeIds(), move.from(), move.to())).build(),
                    move.jobVersion());
        }
        leader.put(LEADER_KEY, new PlacementLeaderState(tick, plan.rebalancing(), plan.imbalanceAfter()));
        if (!plan.moves().isEmpty() || !plan.stranded().isEmpty()) {
            log.info("Placement tick {}: imbalance {} -> {}, {} move(s), rebalancing={}, stranded={} ({} ms)", tick,
                    plan.imbalanceBefore(), plan.imbalanceAfter(), plan.moves().size(), plan.rebalancing(),
                    plan.stranded(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * The fleet from the global stores, with in-flight moves applied; a job whose view predates its last move is held
     * still, and one moved within the cooldown is not balanced again.
     */
    private Fleet buildFleet() {
        final long now = clock.millis();
        final List<NodeSlot> slots = new ArrayList<>();
        try (KeyValueIterator<String, NodeRegistration> all = registrations.all()) {
            all.forEachRemaining(kv -> slots.add(slot(kv.value)));
        }
        final Map<String, PlacementPending> inFlight = new HashMap<>();
        try (KeyValueIterator<String, PlacementPending> all = pending.all()) {
            all.forEachRemaining(kv -> inFlight.put(kv.key, kv.value));
        }
        final List<PlacedJob> placed = new ArrayList<>();
        try (KeyValueIterator<String, JobState> all = jobs.all()) {
            all.forEachRemaining(kv -> {
                final JobState job = kv.value;
                if (job == null || job.getStatus() != JobStatus.ACTIVE) {
                    return;
                }
                final PlacementPending action = inFlight.get(job.getJobId());
                final List<String> nodes = action == null || action.getType() != PlacementActionType.TRANSFER
                        ? job.getAssignedNodeIds()
                        : replaced(job.getAssignedNodeIds(), action.getFromNodeIds().get(0), action.getToNodeIds().get(0));
                final PlacementJobMemory last = memory.get(job.getJobId());
                final boolean stale = last != null && job.getVersion() < last.getVersion();
                final boolean cooling = last != null
                        && last.getLastMovedAt().toEpochMilli() + policy.jobCooldown().toMillis() > now;
                if (last != null && !stale && !cooling) {
                    memory.delete(job.getJobId()); // cooled down and caught up: forget it, keeping the store small
                }
                placed.add(new PlacedJob(job.getJobId(), job.getVersion(),
                        weights.weightOf(job.getJobId(), job.getVersion(), job.getSpec()), nodes,
                        job.getSpec().getSelector(), action == null && !stale, cooling));
            });
        }
        return new Fleet(slots, placed);
    }

    private NodeSlot slot(final NodeRegistration node) {
        final NodeLiveness live = liveness.get(node.getNodeId());
        final LivenessState state = live == null ? LivenessState.UNKNOWN : live.getState();
        final NodeSlot.Health health = switch (state) {
            case UP, DEGRADED -> NodeSlot.Health.HEALTHY;
            case DOWN -> NodeSlot.Health.GONE;
            default -> NodeSlot.Health.HOLD;
        };
        return new NodeSlot(node.getNodeId(), node.getRegion(), Set.copyOf(node.getTags()), capacity(node), health,
                "node " + node.getNodeId() + " DOWN");
    }

    /** A node tagged {@code capacity=<n>} counts as n nodes' worth (default 1). */
    static double capacity(final NodeRegistration node) {
        for (final String tag : node.getTags()) {
            if (tag.startsWith("capacity=")) {
                try {
                    final double value = Double.parseDouble(tag.substring("capacity=".length()));
                    if (value > 0 && Double.isFinite(value)) {
                        return value;
                    }
                } catch (final NumberFormatException e) {
                    log.warn("Node {}: ignoring malformed tag '{}'", node.getNodeId(), tag);
                }
            }
        }
        return 1.0;
    }

    /** A last-moment check: the fleet may be a tick old, the global stores are current. */
    private boolean healthyNow(final String nodeId) {
        if (registrations.get(nodeId) == null) {
            return false;
        }
        final NodeLiveness live = liveness.get(nodeId);
        return live != null && (live.getState() == LivenessState.UP || live.getState() == LivenessState.DEGRADED);
    }

    private Fleet currentFleet() {
        if (fleet == null) {
            fleet = buildFleet();
        }
        return fleet;
    }

    private PlacementLeaderState leaderState() {
        final PlacementLeaderState state = leader.get(LEADER_KEY);
        return state != null ? state : new PlacementLeaderState(0L, false, 0.0);
    }

    private void remember(final String jobId, final long version) {
        memory.put(jobId, new PlacementJobMemory(jobId, clock.instant(), version));
    }

    private long jobVersion(final String jobId) {
        final JobState job = jobs.get(jobId);
        return job == null ? 0 : job.getVersion();
    }

    private static List<String> replaced(final List<String> nodes, final String from, final String to) {
        final List<String> result = new ArrayList<>(nodes);
        final int index = result.indexOf(from);
        if (index >= 0) {
            result.set(index, to);
        }
        return result;
    }

    private static String describe(final NodeSelector selector) {
        return "{region " + (selector.getRegion() == null ? "any" : selector.getRegion()) + ", tags "
                + selector.getTags() + ", count " + selector.getCount() + "}";
    }

    /**
     * The same action planned on the same state gets the same id, on any leader, in any replay: a move is based on
     * the job version it was planned on, a placement on the caller's command and the attempt.
     */
    static String actionId(final PlacementActionType type, final String jobId, final String basis,
                           final List<String> from, final List<String> to) {
        try {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((type + "|" + jobId + "|" + basis + "|" + String.join(",", from) + "|"
                    + String.join(",", to)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(), 0, 12);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
