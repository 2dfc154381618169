package dev.arcturus.connector.occurrence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.gateway.api.v1.Job;
import dev.arcturus.gateway.api.v1.JobSpec;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.MissedRunPolicy;
import dev.arcturus.gateway.client.Timestamps;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When the connector fires occurrences: inside the window only, and missed ones per the job's policy. */
class OccurrenceTimingTest {
    private static final Instant DAY = Instant.parse("2027-02-01T00:00:00Z");

    private static Job job(final JobType type, final String schedule, final Instant start, final Instant end,
                           final MissedRunPolicy policy, final int deadlineSeconds) {
        return Job.newBuilder().setSpec(JobSpec.newBuilder().setId("j").setNodeId("n").setType(type)
                .setSchedule(schedule).setStart(Timestamps.of(start)).setEnd(Timestamps.of(end)).setLengthSeconds(10)
                .setMissedRunPolicy(policy).setStartingDeadlineSeconds(deadlineSeconds)).build();
    }

    @Test
    void shouldFireCronAndIntervalJobsOnlyInsideTheirWindow() {
        final Job hourly = job(JobType.CRON, "0 * * * *", DAY, DAY.plusSeconds(6 * 3600), MissedRunPolicy.SKIP, 0);
        assertThat(Occurrences.next(hourly, DAY.plusSeconds(3 * 3600 + 1200)))
                .isEqualTo(DAY.plusSeconds(4 * 3600));
        assertThat(Occurrences.next(hourly, DAY.plusSeconds(5 * 3600 + 1))).isNull();
        assertThat(Occurrences.next(hourly, DAY.minusSeconds(7200))).isEqualTo(DAY);

        final Job every = job(JobType.CRON, "@every 10s", DAY.plusSeconds(5), DAY.plusSeconds(3600),
                MissedRunPolicy.SKIP, 0);
        assertThat(Occurrences.next(every, DAY.plusMillis(60_500))).isEqualTo(DAY.plusSeconds(65));
    }

    private static MissedRuns.Plan lookBack(final Job job, final Instant now) {
        return MissedRuns.plan(job, now.minusSeconds(Math.max(10, job.getSpec().getStartingDeadlineSeconds())), now);
    }

    @Test
    void shouldRunTheLatestMissedOccurrenceOnceWithinItsDeadlineOnlyWhenAsked() {
        final Instant now = DAY.plusSeconds(3 * 3600 + 1200); // 03:20
        final Instant end = DAY.plusSeconds(6 * 3600);
        assertThat(lookBack(job(JobType.CRON, "0 * * * *", DAY, end, MissedRunPolicy.RUN_ONCE_LATE, 1800), now).late())
                .contains(DAY.plusSeconds(3 * 3600));
        final MissedRuns.Plan tooLate = MissedRuns.plan(job(JobType.CRON, "0 * * * *", DAY, end,
                MissedRunPolicy.RUN_ONCE_LATE, 600), now.minusSeconds(1800), now);
        assertThat(tooLate.late()).isEmpty();
        assertThat(tooLate.missed()).containsExactly(DAY.plusSeconds(3 * 3600));
        assertThat(lookBack(job(JobType.CRON, "0 * * * *", DAY, end, MissedRunPolicy.SKIP, 1800), now).late())
                .isEmpty();
        assertThat(lookBack(job(JobType.CRON, "@every 10s", DAY.plusSeconds(5), end, MissedRunPolicy.RUN_ONCE_LATE,
                60), DAY.plusMillis(60_500)).late()).contains(DAY.plusSeconds(55));
        assertThat(lookBack(job(JobType.ONE_SHOT, "", DAY.plusSeconds(7200), end, MissedRunPolicy.RUN_ONCE_LATE, 900),
                DAY.plusSeconds(7800)).late()).contains(DAY.plusSeconds(7200));
        assertThat(lookBack(job(JobType.ONE_SHOT, "", DAY.plusSeconds(7200), end, MissedRunPolicy.RUN_ONCE_LATE, 300),
                DAY.plusSeconds(7800)).late()).isEmpty();
    }

    @Test
    void shouldRunAnOccurrenceLearntOfSecondsLateWhateverThePolicy() {
        // A per-minute job accepted a second after its window opened: that minute runs, it is not lost.
        final Job minutely = job(JobType.CRON, "* * * * *", DAY, DAY.plusSeconds(3600), MissedRunPolicy.SKIP, 0);
        final MissedRuns.Plan plan = lookBack(minutely, DAY.plusSeconds(1));
        assertThat(plan.late()).contains(DAY);
        assertThat(plan.missed()).isEmpty();
    }

    @Test
    void shouldRecordEveryOccurrenceOfAGapMissedButTheOneRunLate() {
        // The agent was down from 00:00:30 to 00:05:05: 00:01 .. 00:04 are missed, 00:05 is 5 s late and runs.
        final Job minutely = job(JobType.CRON, "* * * * *", DAY, DAY.plusSeconds(3600), MissedRunPolicy.SKIP, 0);
        final MissedRuns.Plan plan = MissedRuns.plan(minutely, DAY.plusSeconds(30), DAY.plusSeconds(305));
        assertThat(plan.missed()).containsExactly(DAY.plusSeconds(60), DAY.plusSeconds(120), DAY.plusSeconds(180),
                DAY.plusSeconds(240));
        assertThat(plan.late()).contains(DAY.plusSeconds(300));
        assertThat(MissedRuns.plan(minutely, DAY.plusSeconds(30), DAY.plusSeconds(330)).late()).isEmpty();
    }
}
