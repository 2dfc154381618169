package dev.arcturus.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The fault suite in its bounded form (`./arcturus test` runs it after the unit tests; `./arcturus chaos <scenario>`
 * runs the full size). Each scenario starts its own broker and processes, prints its RESULT line, and must lose and
 * duplicate nothing.
 */
class ChaosSuiteIT {
    private static ChaosReport printed(final ChaosReport report) {
        System.out.println(report.line());
        return report;
    }

    @Test
    void killingAdmissionMidStreamLeavesExactlyOneDecisionPerRequestAndNoOverlap() throws Exception {
        final ChaosReport report = printed(new KillAdmissionScenario(3_000, 20, 500).run());

        assertThat(report.lost()).as("requests without a decision").isZero();
        assertThat(report.duplicated()).as("requests decided twice").isZero();
        assertThat(report.figure("overlaps")).as("overlapping accepted exclusive jobs").isZero();
        assertThat(report.figure("accepted")).as("a real mix of outcomes").isPositive();
        assertThat(report.figure("rejected")).isPositive();
        assertThat(report.figure("answered_at_kill")).as("killed mid-stream").isLessThan(3_000);
        assertThat(report.figure("client_mismatches")).as("clients told what the topic says").isZero();
    }

    @Test
    void theSurvivingInstanceTakesOverWithinTenSecondsWithoutFalseAlarms() throws Exception {
        final ChaosReport report = printed(new TakeoverScenario(300, 20, Duration.ofSeconds(12)).run());

        assertThat(report.lost()).as("commands without a decision").isZero();
        assertThat(report.duplicated()).as("commands decided twice").isZero();
        assertThat(report.figure("false_down")).as("beating nodes reported SUSPECT or DOWN").isZero();
        assertThat(report.figure("takeover_s")).as("every app's partitions owned by the survivor").isLessThanOrEqualTo(10);
        assertThat(report.figure("admission_resumed_s")).isBetween(0.0, 10.0);
        assertThat(report.figure("liveness_resumed_s")).isBetween(0.0, 10.0);
    }

    @Test
    void badRecordsAreDeadLetteredWithTheirReasonAndBadRequestsGetClearErrors() throws Exception {
        final ChaosReport report = printed(new BadInputScenario(20).run());

        assertThat(report.lost()).as("valid traffic or expected dead letters missing").isZero();
        assertThat(report.duplicated()).isZero();
        assertThat(report.figure("dead_letters_without_reason")).isZero();
        assertThat(report.figure("dead_letter_sources_missing")).isZero();
        assertThat(report.figure("unclear_errors")).as("UNKNOWN/INTERNAL or no description").isZero();
        assertThat(report.figure("invalid_argument")).isGreaterThan(report.figure("bad_requests") * 0.9);
        assertThat(report.figure("plane_alive")).isEqualTo(1);
        assertThat(report.figure("valid_rpc_after")).isEqualTo(1);
    }

    @Test
    void aBrokerRestartLosesNoRunUpdateDuplicatesNoRunAndTheSinksConverge() throws Exception {
        final ChaosReport report = printed(new BrokerRestartScenario(200, 10, Duration.ofSeconds(25),
                Duration.ofSeconds(4)).run());

        assertThat(report.figure("lost_run_updates")).as("run updates not applied").isZero();
        assertThat(report.figure("duplicated_state_changes")).as("state changes published twice").isZero();
        assertThat(report.figure("mysql_samples_missing")).isZero();
        assertThat(report.figure("mongo_runs_missing")).as("runs not completed in MongoDB").isZero();
        assertThat(report.figure("mongo_runs_extra")).isZero();
        assertThat(report.figure("runs")).as("runs spanned the restart").isGreaterThan(100);
        assertThat(report.figure("converged_after_load_s")).as("sinks converged").isNotNegative();
        assertThat(report.lost()).isZero();
        assertThat(report.duplicated()).isZero();
    }

    @Test
    void operatorsRowsReachThePlaneOnceThroughAKilledDatabaseAndARestartedCapture() throws Exception {
        final ChaosReport report = printed(new MySqlCaptureScenario(200, 40, Duration.ofSeconds(3)).run());

        assertThat(report.lost()).as("rows the database kept but the plane never heard of").isZero();
        assertThat(report.duplicated()).as("rows published twice, or the sink's writes echoed").isZero();
        assertThat(report.figure("rows")).isEqualTo(220);
        assertThat(report.figure("dead_letters")).isZero();
        assertThat(report.figure("down_s")).as("the database really was down").isGreaterThanOrEqualTo(3);
    }

    @Test
    void theMySqlSinkWaitsOutAKilledMariaDbAndCatchesUpWithNothingLost() throws Exception {
        final ChaosReport report = printed(new MariaDbRestartScenario(300, Duration.ofSeconds(20),
                Duration.ofSeconds(5)).run());

        assertThat(report.figure("samples_stored")).isEqualTo(report.figure("samples_sent"));
        assertThat(report.figure("region_mismatches")).as("node rows not at their latest registration").isZero();
        assertThat(report.figure("dead_letters")).as("valid rows dead-lettered during the outage").isZero();
        assertThat(report.figure("down_s")).as("the database really was down").isGreaterThanOrEqualTo(5);
        assertThat(report.lost()).isZero();
        assertThat(report.duplicated()).isZero();
    }

    @Test
    void aGatewayReplicaKilledUnderLoadLosesNoRequestRunUpdateOrWatchedEvent() throws Exception {
        final ChaosReport report = printed(new GatewayFailoverScenario(120, 20, 4, 3).run());

        assertThat(report.lost()).as("jobs, run updates or watched events missing").isZero();
        assertThat(report.duplicated()).as("jobs, run states or watched events twice").isZero();
        assertThat(report.figure("accepted")).as("every job accepted, once").isEqualTo(120);
        assertThat(report.figure("answered_wrongly")).isZero();
        assertThat(report.figure("watch_resumes")).as("every watcher was cut and resumed").isGreaterThanOrEqualTo(6);
        assertThat(report.figure("failover_s")).isBetween(0.0, 15.0);
        assertThat(report.held()).isTrue();
    }

    @Test
    void noIntruderOnKafkaOrTheRegistryGetsAForgeryAcceptedAndThePlaneKeepsWorking() throws Exception {
        final ChaosReport report = printed(new IntruderScenario().run());

        assertThat(report.figure("attempts")).as("every forgery tried by every intruder").isGreaterThanOrEqualTo(23);
        assertThat(report.figure("accepted_forgeries")).isZero();
        assertThat(report.figure("insiders_dead_lettered")).as("lies in records a principal may write, refused by "
                + "admission and run-state").isEqualTo(2);
        assertThat(report.figure("plane_alive")).isEqualTo(1);
        assertThat(report.held()).isTrue();
    }

    @Test
    void aNodeAgentCutOffAndKilledMidRunLosesNoRunAndNoArtifactAndDuplicatesNone() throws Exception {
        final ChaosReport report = printed(new ConnectorOutageScenario(Duration.ofSeconds(40)).run());

        assertThat(report.figure("no_final_status")).as("occurrences without a final status").isZero();
        assertThat(report.figure("artifacts_missing")).as("finished runs without their artifact").isZero();
        assertThat(report.figure("executed_twice")).as("runs executed twice").isZero();
        assertThat(report.figure("unexpected_runs")).isZero();
        assertThat(report.figure("during_cut")).as("occurrences fell in the cut").isGreaterThanOrEqualTo(3);
        assertThat(report.figure("completed")).as("runs kept firing from the journal during the cut")
                .isGreaterThanOrEqualTo(report.figure("during_cut"));
        assertThat(report.figure("delivered_after_reconnect_s")).isBetween(0.0, 60.0);
        assertThat(report.lost()).isZero();
        assertThat(report.duplicated()).isZero();
    }

    @Test
    void aShortSoakKeepsTheLiveHeapFlatAndTheLagDrained() throws Exception {
        final ChaosReport report = printed(new SoakScenario(Duration.ofSeconds(80), Duration.ofSeconds(10)).run());

        assertThat(report.lost()).as("jobs undecided or runs incomplete").isZero();
        assertThat(report.duplicated()).as("jobs decided twice").isZero();
        assertThat(report.figure("false_down")).as("beating nodes reported DOWN").isZero();
        assertThat(report.figure("degraded_to_up_bounces")).as("nodes bouncing without telemetry").isZero();
        assertThat(report.figure("heartbeats_per_s")).as("the soak's heartbeat rate").isGreaterThan(900);
        assertThat(report.figure("heap_after_gc_second_half_median_mb"))
                .as("live heap after GC, second half vs first half (medians)")
                .isLessThanOrEqualTo(report.figure("heap_after_gc_first_half_median_mb") * 1.25 + 16);
        assertThat(report.figure("lag_second_half_max")).as("consumer lag not growing")
                .isLessThanOrEqualTo(Math.max(report.figure("lag_first_half_max") * 2, 5_000));
        assertThat(report.figure("lag_drained")).as("lag once the load stops").isLessThan(100);
    }
}
