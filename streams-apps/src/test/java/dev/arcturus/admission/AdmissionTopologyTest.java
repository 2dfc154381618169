package dev.arcturus.admission;

import static dev.arcturus.admission.AdmissionHarness.T0;
import static dev.arcturus.admission.AdmissionHarness.cron;
import static dev.arcturus.admission.AdmissionHarness.delete;
import static dev.arcturus.admission.AdmissionHarness.modify;
import static dev.arcturus.admission.AdmissionHarness.oneShot;
import static dev.arcturus.admission.AdmissionHarness.schedule;
import static org.assertj.core.api.Assertions.assertThat;


import dev.arcturus.avro.DecisionOutcome;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobCommandType;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.avro.UserRole;
import dev.arcturus.events.JobDecisions;
import dev.arcturus.registry.client.InMemorySchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.topics.JobIds;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdmissionTopologyTest {
    /** A registry in this process: the topology test needs no broker and no registry server. */
    private final SchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    @TempDir
    Path stateDir;
    private AdmissionHarness admission;


    @BeforeEach
    void start() {
        admission = new AdmissionHarness(registry, stateDir);
        admission.register("n1", "n2", "n3");
    }

    @AfterEach
    void stop() {
        admission.close();
    }

    @Test
    void shouldAcceptAJobAndPublishItsState() {
        final JobDecision decision = admission.decide(schedule(cron("j1", "n1", "*/10 * * * *", 300).build()));

        assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED);
        assertThat(decision.getCommandType()).isEqualTo(JobCommandType.SCHEDULE);
        assertThat(decision.getJobVersion()).isEqualTo(1L);
        assertThat(admission.jobStates()).containsKey("j1");
    }

    @Test
    void shouldDecideAJobWhoseIdSharesItsNodesPartitionInOneHopAndCarryItsState() {
        final String node = nodeInPartition(0);
        final String elsewhere = nodeInPartition(1);
        admission.register(node, elsewhere);
        final String minted = JobIds.mintFor(node, new java.util.Random(1));
        final String named = idInPartition(2);

        final JobDecision oneHop = admission.decide(schedule(cron(minted, node, "0 * * * *", 300).build()));
        final long afterOneHop = admission.internalMessages();
        final JobDecision saga = admission.decide(schedule(cron(named, elsewhere, "30 * * * *", 300).build()));

        assertThat(oneHop.getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED);
        assertThat(afterOneHop).as("no step or verdict left the task for a co-partitioned job").isZero();
        // The same job's decision and state, from the decision alone (what the gateway answers with).
        assertThat(JobDecisions.acceptedState(oneHop)).hasValueSatisfying(state -> {
            assertThat(state.getVersion()).isEqualTo(1L);
            assertThat(state.getSpec()).isEqualTo(admission.jobStates().get(minted).getSpec());
            assertThat(state.getAssignedNodeIds()).containsExactly(node);
        });
        assertThat(saga.getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED);
        assertThat(admission.internalMessages() - afterOneHop)
                .as("a job in another partition walks the saga: a step to the node, a verdict back").isEqualTo(2);
    }

    @Test
    void shouldSerialiseAModifyBehindAOneHopScheduleOfTheSameId() {
        final String node = nodeInPartition(0);
        admission.register(node);
        final String id = JobIds.mintFor(node, new java.util.Random(2));
        final JobSpec first = cron(id, node, "0 * * * *", 300).build();
        final JobSpec second = cron(id, node, "15 * * * *", 300).build();

        // Both are keyed by the job id, so the router sees them in order, whatever path the first one takes.
        final JobDecision scheduled = admission.decide(schedule(first));
        final JobDecision modified = admission.decide(modify(second));
        final JobDecision again = admission.decide(schedule(first));

        assertThat(scheduled.getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED);
        assertThat(modified.getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED);
        assertThat(modified.getJobVersion()).isEqualTo(2L);
        assertThat(again.getOutcome()).isEqualTo(DecisionOutcome.REJECTED);
        assertThat(again.getReason()).startsWith("jobId: job " + id + " already exists");
        assertThat(admission.jobStates().get(id).getSpec().getSchedule()).isEqualTo("15 * * * *");
    }

    private static String nodeInPartition(final int partition) {
        for (int i = 0; ; i++) {
            if (TopicCatalog.ADMISSION_NODE_STEP.partitionOf("node-" + i) == partition) {
                return "node-" + i;
            }
        }
    }

    private static String idInPartition(final int partition) {
        for (int i = 0; ; i++) {
            if (TopicCatalog.JOB_COMMAND.partitionOf("named-" + i) == partition) {
                return "named-" + i;
            }
        }
    }

    @Test
    void shouldRejectAnOverlapNamingTheJobAndTheFirstOverlap() {
        admission.decide(schedule(cron("existing", "n1", "0 * * * *", 1800).build()));

        // LEOScope missed this one (case A): the existing run's length reaches past the new start.
        final JobDecision decision = admission.decide(schedule(cron("new", "n1", "10 * * * *", 300).build()));

        assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.REJECTED);
        assertThat(decision.getReason()).contains("conflict").contains("n1");
        assertThat(decision.getConflicts()).hasSize(1);
        assertThat(decision.getConflicts().get(0).getJobId()).isEqualTo("existing");
        assertThat(decision.getConflicts().get(0).getOverlapStart()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(decision.getConflicts().get(0).getOverlapEnd()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
    }

    @Test
    void shouldCheckAPlacedSelectorJobOnEveryChosenNodeAndTellNodesApart() {
        admission.decide(schedule(cron("on-n2", "n2", "0 * * * *", 600).build()));
        final dev.arcturus.avro.NodeSelector two = dev.arcturus.avro.NodeSelector.newBuilder().setCount(2).build();

        final JobDecision clash = admission.decide(schedule(cron("placed", null, "5 * * * *", 60).setSelector(two)
                .setPlacedNodeIds(List.of("n1", "n2")).build()));
        final JobDecision unplaced = admission.decide(schedule(cron("raw", null, "5 * * * *", 60).setSelector(two)
                .build()));
        final JobDecision placed = admission.decide(schedule(cron("placed", null, "5 * * * *", 60).setSelector(two)
                .setPlacedNodeIds(List.of("n1", "n3")).build()));

        assertThat(clash.getOutcome()).isEqualTo(DecisionOutcome.REJECTED);
        assertThat(clash.getConflicts().get(0).getNodeId()).isEqualTo("n2");
        assertThat(unplaced.getReason()).startsWith("placedNodeIds: a selector job is placed by the placement app");
        assertThat(placed.getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED);
        assertThat(admission.jobStates().get("placed").getAssignedNodeIds()).containsExactly("n1", "n3");
        // its runs now block n3 as well
        assertThat(admission.accepted(schedule(cron("late", "n3", "5 * * * *", 60).build()))).isFalse();
    }

    @Test
    void shouldRefuseAModificationPlannedOnAnOlderVersion() {
        admission.decide(schedule(cron("a", "n1", "0 * * * *", 600).build()));
        admission.decide(modify(cron("a", "n1", "10 * * * *", 600).build()));

        final JobCommand stale = modify(cron("a", "n2", "0 * * * *", 600).build());
        stale.setExpectedVersion(1L);
        final JobDecision decision = admission.decide(stale);

        assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.REJECTED);
        assertThat(decision.getReason()).isEqualTo("expectedVersion: job a is at version 2, not 1 (it changed meanwhile)");
        assertThat(admission.jobStates().get("a").getSpec().getTargetNodeId()).isEqualTo("n1");
    }

    @Test
    void shouldAllowTouchingRuns() {
        admission.decide(schedule(cron("a", "n1", "0 * * * *", 600).build()));
        assertThat(admission.accepted(schedule(cron("b", "n1", "10 * * * *", 600).build()))).isTrue();
        final Instant at = T0.plus(Duration.ofMinutes(20));
        assertThat(admission.accepted(schedule(oneShot("c", "n1", at, 600, at.plusSeconds(3600)).build()))).isTrue();
    }

    @Test
    void shouldCheckTheServerNodeInEitherRole() {
        admission.decide(schedule(cron("on-n2", "n2", "0 * * * *", 600).build()));

        final JobDecision asServer = admission.decide(schedule(cron("client", "n1", "5 * * * *", 60)
                .setServerNodeId("n2").build()));

        assertThat(asServer.getOutcome()).isEqualTo(DecisionOutcome.REJECTED);
        assertThat(asServer.getConflicts().get(0).getNodeId()).isEqualTo("n2");
        // and the lock taken on n1 was released: n1 is free for a job at the same time
        assertThat(admission.accepted(schedule(cron("solo", "n1", "5 * * * *", 60).build()))).isTrue();
    }

    @Test
    void shouldIgnoreNonExclusiveJobsWhenCheckingConflicts() {
        admission.decide(schedule(cron("background", "n1", "0 * * * *", 1800).setExclusive(false).build()));
        assertThat(admission.accepted(schedule(cron("measure", "n1", "10 * * * *", 300).build()))).isTrue();
    }

    @Test
    void shouldKeepTheOldVersionWhenAModificationIsRejected() {
        admission.decide(schedule(cron("a", "n1", "0 * * * *", 600).build()));
        admission.decide(schedule(cron("b", "n1", "30 * * * *", 600).build()));

        final JobDecision bad = admission.decide(modify(cron("a", "n1", "25 * * * *", 600).build()));
        final JobDecision good = admission.decide(modify(cron("a", "n1", "5 * * * *", 600).build()));

        assertThat(bad.getOutcome()).isEqualTo(DecisionOutcome.REJECTED);
        assertThat(good.getOutcome()).as("a does not conflict with its own old version").isEqualTo(DecisionOutcome.ACCEPTED);
        assertThat(good.getJobVersion()).isEqualTo(2L);
        assertThat(admission.jobStates().get("a").getSpec().getSchedule()).isEqualTo("5 * * * *");
    }

    @Test
    void shouldFreeTheCalendarWhenAJobIsDeleted() {
        admission.decide(schedule(cron("a", "n1", "0 * * * *", 600).setServerNodeId("n2").build()));
        assertThat(admission.decide(delete("a")).getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED);

        assertThat(admission.jobStates()).doesNotContainKey("a");
        assertThat(admission.accepted(schedule(cron("b", "n2", "0 * * * *", 600).build()))).isTrue();
        assertThat(admission.decide(delete("a")).getReason()).contains("no job a");
    }

    @Test
    void shouldDeleteEveryJobOnANodeInEitherRole() {
        admission.decide(schedule(cron("t", "n1", "0 * * * *", 60).build()));
        admission.decide(schedule(cron("s", "n2", "5 * * * *", 60).setServerNodeId("n1").build()));
        admission.decide(schedule(cron("other", "n3", "0 * * * *", 60).build()));

        admission.user("root", UserRole.ADMIN);
        final JobCommand all = JobCommand.newBuilder(AdmissionHarness.command(JobCommandType.DELETE_ALL_ON_NODE, null, null,
                "root")).setNodeId("n1").build();
        final List<JobDecision> decisions = admission.send(all);

        assertThat(decisions).extracting(JobDecision::getCommandType)
                .contains(JobCommandType.DELETE_ALL_ON_NODE, JobCommandType.DELETE);
        assertThat(admission.jobStates()).containsOnlyKeys("other");
    }

    @Test
    void shouldDeadLetterCommandsWhoseRequesterMayNotActOnTheJobAndLeaveTheJobAlone() {
        admission.user("root", UserRole.ADMIN);
        admission.user("mallory", UserRole.USER);
        admission.decide(schedule(cron("alices", "n1", "0 * * * *", 60).build()));
        admission.decide(schedule(oneShot("shot", "n2", T0.plus(Duration.ofHours(1)), 600, T0.plus(Duration.ofHours(6)))
                .build()));

        assertThat(admission.send(AdmissionHarness.command(JobCommandType.DELETE, "alices", null, "mallory")))
                .as("a forged delete is not decided").isEmpty();
        assertThat(admission.send(AdmissionHarness.command(JobCommandType.SCHEDULE, "for-alice",
                cron("for-alice", "n3", "0 * * * *", 60).build(), "mallory"))).isEmpty();
        assertThat(admission.send(JobCommand.newBuilder(AdmissionHarness.command(JobCommandType.DELETE_ALL_ON_NODE,
                null, null, "alice")).setNodeId("n1").build())).isEmpty();
        assertThat(admission.deadLetterReasons()).hasSize(3).satisfiesExactly(
                r -> assertThat(r).contains("requestedBy: 'mallory' is neither the owner 'alice' of job alices"),
                r -> assertThat(r).contains("'mallory' may not submit a job owned by 'alice'"),
                r -> assertThat(r).contains("only an ADMIN deletes every job on a node"));
        assertThat(admission.jobStates()).containsKeys("alices", "shot").doesNotContainKey("for-alice");

        // The node a one-shot runs on may move it (scavenger mode); an ADMIN may delete anyone's job.
        assertThat(admission.decide(JobCommand.newBuilder(AdmissionHarness.command(JobCommandType.RESCHEDULE_NEAREST,
                "shot", null, "n2")).setNotBefore(T0.plus(Duration.ofHours(2))).build()).getOutcome())
                .isEqualTo(DecisionOutcome.ACCEPTED);
        assertThat(admission.decide(AdmissionHarness.command(JobCommandType.DELETE, "alices", null, "root"))
                .getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED);
        assertThat(admission.jobStates()).doesNotContainKey("alices");
        assertThat(admission.deadLetterReasons()).as("nothing more dead-lettered").isEmpty();
    }

    @Test
    void shouldAnswerARetriedCommandWithTheSameDecision() {
        final JobCommand command = schedule(cron("a", "n1", "0 * * * *", 60).build());
        final JobDecision first = admission.decide(command);
        final JobDecision again = admission.decide(command);

        assertThat(again.getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED);
        assertThat(again.getMetadata().getEventId()).isEqualTo(first.getMetadata().getEventId());
        assertThat(again.getJobVersion()).isEqualTo(1L);
    }

    @Test
    void shouldRejectInvalidInputWithAPreciseReason() {
        assertThat(admission.decide(schedule(cron("a", "n1", "61 * * * *", 60).build())).getReason())
                .isEqualTo("schedule: 61 is out of range 0-59 in the minute field");
        assertThat(admission.decide(schedule(cron("a", "n1", "*/15 * * * * *", 60).build())).getReason())
                .contains("has 6 fields").contains("@every");
        assertThat(admission.decide(schedule(cron("a", "n1", "0 * * * *", 60).setTimeZone("Mars/Olympus").build()))
                .getReason()).isEqualTo("timeZone: 'Mars/Olympus' is not an IANA time zone");
        assertThat(admission.decide(schedule(cron("a", "n1", "0 * * * *", 60).setWindowEnd(T0).build())).getReason())
                .startsWith("windowEnd: must be after windowStart");
        assertThat(admission.decide(schedule(cron("a", "n1", "0 * * * *", 0).build())).getReason())
                .isEqualTo("lengthSeconds: must be positive, was 0");
        assertThat(admission.decide(schedule(cron("a", "n1", "*/10 * * * *", 601).build())).getReason())
                .contains("longer than the schedule's shortest gap between runs (600 s)");
        assertThat(admission.decide(schedule(cron("a", "n1", "0 * * * *", 60)
                .setExperimentConfig("x".repeat(70_000)).build())).getReason()).startsWith("experimentConfig: at most");
        assertThat(admission.decide(schedule(cron("a", "ghost", "0 * * * *", 60).build())).getReason())
                .isEqualTo("targetNodeId: unknown node ghost");
        assertThat(admission.decide(schedule(cron("a", "n1", "0 * * * *", 60).setServerNodeId("ghost").build()))
                .getReason()).isEqualTo("serverNodeId: unknown node ghost");
        assertThat(admission.jobStates()).isEmpty();
    }

    @Test
    void shouldRescheduleAOneShotToTheEarliestSlotFreeOnBothNodes() {
        admission.decide(schedule(cron("busy1", "n1", "0 * * * *", 1200).build()));      // n1 busy :00-:20
        admission.decide(schedule(cron("busy2", "n2", "20 * * * *", 900).build()));      // n2 busy :20-:35
        final Instant start = T0.plus(Duration.ofMinutes(40));
        admission.decide(schedule(oneShot("shot", "n1", start, 600, T0.plus(Duration.ofHours(6)))
                .setServerNodeId("n2").build()));

        final JobCommand move = JobCommand.newBuilder(AdmissionHarness.command(JobCommandType.RESCHEDULE_NEAREST, "shot", null))
                .setNotBefore(T0.plus(Duration.ofHours(1))).build();
        final JobDecision decision = admission.decide(move);

        assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED);
        assertThat(decision.getScheduledStart()).isEqualTo(T0.plus(Duration.ofMinutes(95)));
        assertThat(admission.jobStates().get("shot").getSpec().getWindowStart()).isEqualTo(decision.getScheduledStart());
    }

    @Test
    void shouldPageANodesCalendarInEitherRole() {
        admission.decide(schedule(cron("client", "n1", "0 * * * *", 60).setServerNodeId("n2").build()));
        admission.decide(schedule(cron("local", "n2", "30 * * * *", 60).setExclusive(false).build()));
        final org.apache.kafka.streams.state.KeyValueStore<String, dev.arcturus.avro.NodeCalendarState> store =
                admission.driver().getKeyValueStore(AdmissionStores.NODE_CALENDAR_STORE);
        final long from = T0.toEpochMilli();
        final long to = T0.plus(Duration.ofHours(3)).toEpochMilli();

        final CalendarQuery.Page first = CalendarQuery.runs(store.get("n2"), "n2", from, to, null, 4);
        final CalendarQuery.Page second = CalendarQuery.runs(store.get("n2"), "n2", from, to, first.next().orElseThrow(), 4);

        assertThat(first.runs()).hasSize(4);
        assertThat(first.runs().get(0).jobId()).isEqualTo("client");
        assertThat(first.runs().get(0).asServer()).isTrue();
        assertThat(second.runs()).hasSize(2);
        assertThat(second.next()).isEmpty();
        assertThat(second.runs().get(1).start()).isEqualTo(T0.plus(Duration.ofMinutes(150)).toEpochMilli());
        assertThat(CalendarQuery.runs(store.get("n3"), "n3", from, to, null, 10).runs()).isEmpty();
    }

    @Test
    void shouldForgetDecisionsAfterTheRetentionPeriodAndKeepNoEmptyLedgers() {
        final JobCommand rejected = schedule(cron("bad", "n1", "61 * * * *", 60).build());
        admission.decide(rejected);
        admission.decide(schedule(cron("kept", "n1", "0 * * * *", 60).build()));
        final var decisions = admission.driver().<String, JobDecision>getKeyValueStore(AdmissionStores.COMMAND_DECISION_STORE);
        final var ledgers = admission.driver().<String, dev.arcturus.avro.JobLedger>getKeyValueStore(AdmissionStores.JOB_LEDGER_STORE);
        assertThat(decisions.get(rejected.getCommandId())).isNotNull();
        assertThat(ledgers.get("bad")).as("a rejected schedule leaves no ledger").isNull();
        assertThat(ledgers.get("kept")).isNotNull();

        admission.driver().advanceWallClockTime(Duration.ofDays(8));

        assertThat(decisions.get(rejected.getCommandId())).isNull();
        assertThat(ledgers.get("kept")).as("accepted jobs stay").isNotNull();
    }
}
