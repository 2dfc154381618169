package dev.arcturus.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.DecisionOutcome;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobCommandType;
import dev.arcturus.avro.JobConflict;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.JobKind;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.JobStatus;
import dev.arcturus.avro.LivenessState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.NodeRole;
import dev.arcturus.avro.NodeSelector;
import dev.arcturus.avro.PlacementAction;
import dev.arcturus.avro.PlacementActionType;
import dev.arcturus.avro.PlacementCommand;
import dev.arcturus.avro.PlacementCommandType;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.registry.client.InMemorySchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.streams.TestDrivers;
import dev.arcturus.testing.DriverTopics;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader on TopologyTestDriver, with the test playing admission and liveness. */
class PlacementTopologyTest {
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    private static final PlacementPolicy POLICY = new PlacementPolicy(Duration.ofSeconds(1), 0.2, 0.1, 2, 100,
            Duration.ofSeconds(60), 3);
    private static final NodeSelector EU_STARLINK_2 = NodeSelector.newBuilder().setRegion("EU")
            .setTags(List.of("starlink")).setCount(2).build();

    /** A registry in this process: the topology test needs no broker and no registry server. */
    private final SchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, NodeRegistration> nodes;
    private TestInputTopic<String, NodeLiveness> liveness;
    private TestInputTopic<String, JobState> jobStates;
    private TestInputTopic<String, PlacementCommand> placementCommands;
    private TestInputTopic<String, JobDecision> admissionDecisions;
    private TestOutputTopic<String, JobCommand> toAdmission;
    private TestOutputTopic<String, JobDecision> answers;
    private TestOutputTopic<String, PlacementAction> actions;


    @BeforeEach
    void start() {
        driver = TestDrivers.create(PlacementTopology.build(registry, POLICY, "test"), stateDir,
                "placement-ttd", T0);
        nodes = DriverTopics.input(driver, TopicCatalog.NODE_REGISTRATION, registry);
        liveness = DriverTopics.input(driver, TopicCatalog.NODE_LIVENESS, registry);
        jobStates = DriverTopics.input(driver, TopicCatalog.JOB_STATE, registry);
        placementCommands = DriverTopics.input(driver, TopicCatalog.PLACEMENT_COMMAND, registry);
        admissionDecisions = DriverTopics.input(driver, TopicCatalog.JOB_DECISION, registry);
        toAdmission = DriverTopics.output(driver, TopicCatalog.JOB_COMMAND, registry);
        answers = DriverTopics.output(driver, TopicCatalog.JOB_DECISION, registry);
        actions = DriverTopics.output(driver, TopicCatalog.PLACEMENT_ACTION, registry);
        node("a", "EU", LivenessState.UP, "starlink");
        node("b", "EU", LivenessState.UP, "starlink");
        node("c", "EU", LivenessState.UP, "starlink");
        node("d", "US", LivenessState.UP, "starlink");
        node("e", "EU", LivenessState.DOWN, "starlink");
        node("f", "EU", LivenessState.SUSPECT, "starlink");
        node("g", "EU", LivenessState.UP);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aSelectorJobGoesToTheLeastLoadedMatchingUpNodesAndTheCallerGetsAdmissionsAnswer() {
        jobStates.pipeInput("busy", state("busy", 1, pinned("busy", "a"), "a"));
        submit("cmd-1", "probe", EU_STARLINK_2);

        final JobCommand request = toAdmission.readValue();
        assertThat(request.getType()).isEqualTo(JobCommandType.SCHEDULE);
        assertThat(request.getSpec().getPlacedNodeIds()).containsExactly("b", "c"); // a is busier; d, e, f, g don't match
        assertThat(request.getCommandId()).startsWith("placement:");
        assertThat(answers.isEmpty()).isTrue();

        admissionAnswers(request, DecisionOutcome.ACCEPTED, null, List.of());
        final JobDecision answer = answers.readValue();
        assertThat(answer.getCommandId()).isEqualTo("cmd-1");
        assertThat(answer.getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED);
        assertThat(answer.getJobVersion()).isEqualTo(1L);
        final PlacementAction action = actions.readValue();
        assertThat(action.getType()).isEqualTo(PlacementActionType.PLACE);
        assertThat(action.getToNodeIds()).containsExactly("b", "c");
        assertThat(action.getActionId()).isEqualTo(request.getCommandId().substring("placement:".length()));
    }

    @Test
    void aConflictMovesOnToTheNextCandidateAndAFinalRejectionReachesTheCaller() {
        submit("cmd-2", "probe", EU_STARLINK_2);
        final JobCommand first = toAdmission.readValue();
        assertThat(first.getSpec().getPlacedNodeIds()).containsExactly("a", "b");
        admissionAnswers(first, DecisionOutcome.REJECTED, "conflict: overlaps 1 accepted exclusive job(s) on node a",
                List.of(conflict("a")));
        final JobCommand second = toAdmission.readValue();
        assertThat(second.getSpec().getPlacedNodeIds()).containsExactly("b", "c");
        assertThat(second.getCommandId()).isNotEqualTo(first.getCommandId());
        assertThat(answers.isEmpty()).isTrue();

        admissionAnswers(second, DecisionOutcome.REJECTED, "conflict: overlaps 1 accepted exclusive job(s) on node c",
                List.of(conflict("c")));
        final JobDecision answer = answers.readValue(); // only b is left of the four candidates: too few
        assertThat(answer.getCommandId()).isEqualTo("cmd-2");
        assertThat(answer.getOutcome()).isEqualTo(DecisionOutcome.REJECTED);
        assertThat(answer.getReason()).startsWith("selector: 1 of the 2 node(s) needed").contains("conflicts on 2");
        assertThat(actions.isEmpty()).isTrue();
    }

    @Test
    void tooFewMatchingNodesIsRejectedAtOnceAndInvalidSpecsNameTheField() {
        submit("cmd-3", "wide", NodeSelector.newBuilder().setRegion("EU").setTags(List.of("starlink")).setCount(4).build());
        assertThat(toAdmission.isEmpty()).isTrue();
        final JobDecision tooFew = answers.readValue();
        assertThat(tooFew.getOutcome()).isEqualTo(DecisionOutcome.REJECTED);
        assertThat(tooFew.getReason()).startsWith("selector: 3 of the 4 node(s) needed are healthy");

        submit("cmd-4", "bad", NodeSelector.newBuilder().setCount(0).build());
        assertThat(answers.readValue().getReason()).startsWith("selector: count must be between 1 and 100");
    }

    @Test
    void aCommandWithoutAnIdIsDeadLetteredBeforeTheLeaderSeesIt() {
        submit("", "nameless", EU_STARLINK_2);

        assertThat(answers.isEmpty()).as("nobody to answer").isTrue();
        assertThat(toAdmission.isEmpty()).isTrue();
        submit("cmd-5", "probe", EU_STARLINK_2);
        assertThat(toAdmission.readValue().getJobId().toString()).as("the leader carries on").isEqualTo("probe");
    }

    @Test
    void badRecordsOnTheMirroredTopicsAreSkippedAndTheLeaderKeepsPlacing() {
        // The global stores' topics come from outside the app: a bad record there must neither stop the app (it did,
        // live: the bad-input scenario) nor overwrite what the store knows.
        for (final String topic : List.of(TopicCatalog.NODE_REGISTRATION.name(), TopicCatalog.NODE_LIVENESS.name(),
                TopicCatalog.JOB_STATE.name())) {
            driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer())
                    .pipeInput("b", new byte[] {0, 1, 2, 3, 4, 5, 6, 7});
        }
        nodes.pipeInput("c", NodeRegistration.newBuilder().setMetadata(meta()).setNodeId("c").setIp("10.0.0.1")
                .setRegion(" ").setRole(NodeRole.MEASUREMENT).setRegisteredAt(T0).build()); // a blank region
        jobStates.pipeInput("busy", state("busy", 1, pinned("busy", "a"), "a"));

        submit("cmd-1", "probe", EU_STARLINK_2);

        assertThat(toAdmission.readValue().getSpec().getPlacedNodeIds()).as("b and c still as registered before")
                .containsExactly("b", "c");
    }

    @Test
    void aTickMovesJobsOffADownNodeWithTheVersionItPlannedOnAndSaysWhy() {
        jobStates.pipeInput("j1", state("j1", 3, selectorJob("j1", NodeSelector.newBuilder().setRegion("EU")
                .setCount(1).build(), "e"), "e"));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        final JobCommand move = toAdmission.readValue();
        assertThat(move.getType()).isEqualTo(JobCommandType.MODIFY);
        assertThat(move.getExpectedVersion()).isEqualTo(3L);
        assertThat(move.getSpec().getPlacedNodeIds()).containsExactly("a"); // least loaded UP EU node, lowest id
        assertThat(move.getRequestedBy()).isEqualTo("placement");

        driver.advanceWallClockTime(Duration.ofSeconds(1)); // in flight: not planned again
        assertThat(toAdmission.isEmpty()).isTrue();

        admissionAnswers(move, DecisionOutcome.ACCEPTED, null, List.of());
        admissionAnswers(move, DecisionOutcome.ACCEPTED, null, List.of()); // a duplicate decision changes nothing
        final List<PlacementAction> done = actions.readValuesToList();
        assertThat(done).hasSize(1);
        assertThat(done.get(0).getType()).isEqualTo(PlacementActionType.TRANSFER);
        assertThat(done.get(0).getFromNodeIds()).containsExactly("e");
        assertThat(done.get(0).getReason()).isEqualTo("node e DOWN");
    }

    @Test
    void balancingIsCappedPerTickAndAMovedJobCoolsDown() {
        for (int i = 0; i < 6; i++) {
            jobStates.pipeInput("s" + i, state("s" + i, 1, selectorJob("s" + i,
                    NodeSelector.newBuilder().setRegion("US").setCount(1).build(), "d"), "d"));
        }
        node("h", "US", LivenessState.UP);
        node("i", "US", LivenessState.UP);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        final List<JobCommand> moves = toAdmission.readValuesToList();
        assertThat(moves).hasSize(POLICY.maxMovesPerTick());
        assertThat(moves).extracting(m -> m.getSpec().getPlacedNodeIds().get(0)).containsExactly("h", "i");
        for (final JobCommand move : moves) {
            admissionAnswers(move, DecisionOutcome.ACCEPTED, null, List.of());
            final String job = move.getJobId();
            jobStates.pipeInput(job, state(job, 2, move.getSpec(), move.getSpec().getPlacedNodeIds().get(0)));
        }
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        final List<JobCommand> next = toAdmission.readValuesToList();
        assertThat(next).hasSize(2).extracting(JobCommand::getJobId)
                .doesNotContainAnyElementsOf(moves.stream().map(JobCommand::getJobId).toList());
        assertThat(actions.readValuesToList()).hasSize(2).allSatisfy(a -> assertThat(a.getReason()).startsWith("imbalance"));
    }

    private void submit(final String commandId, final String jobId, final NodeSelector selector) {
        placementCommands.pipeInput(jobId, PlacementCommand.newBuilder().setMetadata(meta())
                .setType(PlacementCommandType.SUBMIT).setCommandId(commandId).setJobId(jobId).setRequestedBy("alice")
                .setSpec(selectorJob(jobId, selector)).build());
    }

    private void admissionAnswers(final JobCommand request, final DecisionOutcome outcome, final String reason,
                                  final List<JobConflict> conflicts) {
        admissionDecisions.pipeInput(request.getJobId(), JobDecision.newBuilder().setMetadata(meta())
                .setCommandId(request.getCommandId()).setJobId(request.getJobId()).setOutcome(outcome)
                .setReason(reason).setConflicts(conflicts).setCommandType(request.getType())
                .setJobVersion(outcome == DecisionOutcome.ACCEPTED ? (request.getExpectedVersion() == null ? 1L
                        : request.getExpectedVersion() + 1) : null).build());
    }

    private static JobConflict conflict(final String node) {
        return JobConflict.newBuilder().setJobId("other").setNodeId(node).setOverlapStart(T0).setOverlapEnd(T0).build();
    }

    private void node(final String id, final String region, final LivenessState state, final String... tags) {
        nodes.pipeInput(id, NodeRegistration.newBuilder().setMetadata(meta()).setNodeId(id).setIp("10.0.0.1")
                .setRegion(region).setRole(NodeRole.MEASUREMENT).setTags(List.of(tags)).setRegisteredAt(T0).build());
        liveness.pipeInput(id, NodeLiveness.newBuilder().setMetadata(meta()).setNodeId(id).setState(state)
                .setLastActive(T0).setSince(T0).build());
    }

    private static JobSpec selectorJob(final String jobId, final NodeSelector selector, final String... placed) {
        return base(jobId).setSelector(selector).setPlacedNodeIds(List.of(placed)).build();
    }

    private static JobSpec pinned(final String jobId, final String node) {
        return base(jobId).setTargetNodeId(node).build();
    }

    private static JobSpec.Builder base(final String jobId) {
        return JobSpec.newBuilder().setJobId(jobId).setOwner("alice").setKind(JobKind.CRON)
                .setSchedule("0 * * * *").setWindowStart(T0).setWindowEnd(T0.plus(Duration.ofDays(1)))
                .setLengthSeconds(600);
    }

    private static JobState state(final String jobId, final long version, final JobSpec spec, final String... nodes) {
        return JobState.newBuilder().setMetadata(meta()).setJobId(jobId).setVersion(version)
                .setStatus(JobStatus.ACTIVE).setSpec(spec).setAssignedNodeIds(List.of(nodes)).build();
    }

    private static dev.arcturus.avro.EventMetadata meta() {
        return EventMetadatas.newMetadata("test", CLOCK);
    }
}
