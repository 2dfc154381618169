package dev.arcturus.scheduling.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static List<Instant> fires(final String schedule, final String from, final String to, final ZoneId zone)
            throws InvalidScheduleException {
        return Arrays.stream(Schedule.parse(schedule).fireTimes(Instant.parse(from).toEpochMilli(),
                Instant.parse(to).toEpochMilli(), zone, 1_000_000)).mapToObj(Instant::ofEpochMilli).toList();
    }

    @Test
    void shouldFireEveryTenMinutesWithinAHalfOpenWindow() throws Exception {
        final List<Instant> fires = fires("*/10 * * * *", "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z", UTC);

        assertThat(fires).hasSize(144);
        assertThat(fires.get(0)).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(fires.get(143)).isEqualTo(Instant.parse("2026-03-01T23:50:00Z"));
    }

    @Test
    void shouldFireOnEitherRestrictedDayFieldLikeVixieCron() throws Exception {
        // The 13th of the month or any Friday, at noon: March 2026 has Fridays 6, 13, 20, 27.
        final List<Instant> fires = fires("0 12 13 * FRI", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", UTC);

        assertThat(fires).extracting(i -> i.toString().substring(8, 10)).containsExactly("06", "13", "20", "27");
    }

    @Test
    void shouldReadNamesRangesListsAndSundayAsSeven() throws Exception {
        assertThat(fires("0 9 * JAN MON-FRI", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", UTC)).hasSize(22);
        assertThat(fires("0 0 * * 7", "2026-03-01T00:00:00Z", "2026-03-08T00:00:00Z", UTC))
                .containsExactly(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(fires("5,35 1-2 * * *", "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z", UTC)).hasSize(4);
        assertThat(fires("@daily", "2026-03-01T00:00:00Z", "2026-03-04T00:00:00Z", UTC)).hasSize(3);
    }

    @Test
    void shouldSkipAWallClockTimeThatSpringForwardRemoves() throws Exception {
        // Berlin jumps from 02:00 to 03:00 on 2026-03-29: 02:30 does not exist that day.
        final List<Instant> fires = fires("30 2 * * *", "2026-03-28T00:00:00Z", "2026-03-31T00:00:00Z", BERLIN);

        assertThat(fires).containsExactly(Instant.parse("2026-03-28T01:30:00Z"), Instant.parse("2026-03-30T00:30:00Z"));
    }

    @Test
    void shouldRunARepeatedWallClockTimeOnceAtItsFirstOccurrence() throws Exception {
        // Berlin falls back from 03:00 CEST to 02:00 CET on 2026-10-25: 02:30 happens twice.
        final List<Instant> fires = fires("30 2 * * *", "2026-10-24T12:00:00Z", "2026-10-26T12:00:00Z", BERLIN);

        assertThat(fires).containsExactly(Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void shouldHandleHalfHourTransitions() throws Exception {
        // Lord Howe Island moves its clocks by 30 minutes: on 2026-10-04 local 02:00-02:30 does not exist.
        final List<Instant> fires = fires("15 2 * * *", "2026-10-03T00:00:00Z", "2026-10-06T00:00:00Z",
                ZoneId.of("Australia/Lord_Howe"));

        assertThat(fires).hasSize(2).doesNotContain(Instant.parse("2026-10-03T15:45:00Z"));
    }

    @Test
    void shouldScheduleSubMinuteWorkWithEvery() throws Exception {
        final List<Instant> fires = fires("@every 30s", "2026-03-01T00:00:00Z", "2026-03-01T00:05:00Z", BERLIN);

        assertThat(fires).hasSize(10);
        assertThat(fires.get(1)).isEqualTo(Instant.parse("2026-03-01T00:00:30Z"));
    }

    @Test
    void shouldStopAtTheLimitPlusOneSoCallersCanReportTooMany() throws Exception {
        assertThat(Schedule.parse("* * * * *").fireTimes(0, 86_400_000L, UTC, 100)).hasSize(101);
    }

    @Test
    void shouldRejectMalformedSchedulesNamingTheField() {
        assertThatThrownBy(() -> Schedule.parse("* * * *")).hasMessageContaining("has 4 fields");
        assertThatThrownBy(() -> Schedule.parse("0 * * * * *")).hasMessageContaining("@every 30s");
        assertThatThrownBy(() -> Schedule.parse("0 24 * * *")).hasMessage("schedule: 24 is out of range 0-23 in the hour field");
        assertThatThrownBy(() -> Schedule.parse("0 0 0 * *")).hasMessageContaining("day-of-month");
        assertThatThrownBy(() -> Schedule.parse("0 0 * FOO *")).hasMessageContaining("month");
        assertThatThrownBy(() -> Schedule.parse("*/0 * * * *")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> Schedule.parse("5-2 * * * *")).hasMessageContaining("backwards");
        assertThatThrownBy(() -> Schedule.parse("@every 0s")).hasMessageContaining("at least 1s");
        assertThatThrownBy(() -> Schedule.parse("@every soon")).hasMessageContaining("@every <number>");
        assertThatThrownBy(() -> Schedule.parse("@reboot")).hasMessageContaining("unknown macro");
        assertThatThrownBy(() -> Schedule.parse(" ")).hasMessageContaining("required");
    }

    @org.junit.jupiter.api.Test
    void shouldFindTheNextFireAnchoredAtTheWindowStart() throws Exception {
        final java.time.ZoneId utc = java.time.ZoneId.of("UTC");
        final Schedule every = Schedule.parse("@every 5s");
        org.assertj.core.api.Assertions.assertThat(every.nextFire(10_000, 10_001, 60_000, utc)).isEqualTo(15_000);
        org.assertj.core.api.Assertions.assertThat(every.nextFire(10_000, 15_000, 60_000, utc)).isEqualTo(15_000);
        org.assertj.core.api.Assertions.assertThat(every.nextFire(10_000, 2_000, 60_000, utc)).isEqualTo(10_000);
        org.assertj.core.api.Assertions.assertThat(every.nextFire(10_000, 58_000, 60_000, utc)).isEqualTo(-1);
        final Schedule hourly = Schedule.parse("0 * * * *");
        org.assertj.core.api.Assertions.assertThat(hourly.nextFire(0, 1, 7_200_000, utc)).isEqualTo(3_600_000);
    }
}
