package dev.arcturus.admission.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.scheduling.schedule.JobRuns;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeCalendarTest {
    private static JobRuns runs(final String id, final long length, final long... starts) {
        return new JobRuns(id, starts, length, true);
    }

    @Test
    void shouldFindTheFirstOverlapPerJobUsingBothLengths() {
        final NodeCalendar calendar = new NodeCalendar();
        calendar.add(runs("long", 30, 0, 100, 200));
        calendar.add(runs("short", 5, 50, 150));

        final List<Conflict> conflicts = calendar.conflicts(runs("new", 10, 25, 145), null, 10);

        assertThat(conflicts).containsExactly(new Conflict("long", 25, 30), new Conflict("short", 150, 155));
    }

    @Test
    void shouldTreatTouchingIntervalsAsFree() {
        final NodeCalendar calendar = new NodeCalendar();
        calendar.add(runs("a", 10, 0, 20));

        assertThat(calendar.conflicts(runs("b", 10, 10, 30), null, 10)).isEmpty();
    }

    @Test
    void shouldIgnoreAJobsOwnOldVersionAndForgetRemovedJobs() {
        final NodeCalendar calendar = new NodeCalendar();
        calendar.add(runs("a", 10, 0));
        calendar.add(runs("b", 10, 100));

        assertThat(calendar.conflicts(runs("a", 10, 5), "a", 10)).isEmpty();
        calendar.remove("b");
        assertThat(calendar.conflicts(runs("c", 10, 95), null, 10)).isEmpty();
        assertThat(calendar.runCount()).isEqualTo(1);
    }

    @Test
    void shouldBoundTheReportedConflicts() {
        final NodeCalendar calendar = new NodeCalendar();
        for (int i = 0; i < 20; i++) {
            calendar.add(runs("j" + i, 1, i * 10L));
        }
        assertThat(calendar.conflicts(runs("all", 200, 0), null, 3)).hasSize(3);
    }

    @Test
    void shouldFindTheEarliestCommonFreeSlot() {
        final List<long[]> busy = List.of(new long[] {0, 20}, new long[] {15, 30}, new long[] {40, 50});

        assertThat(FreeSlots.earliest(busy, 0, 10, 100)).hasValue(30);
        assertThat(FreeSlots.earliest(busy, 0, 11, 100)).hasValue(50);
        assertThat(FreeSlots.earliest(busy, 0, 60, 100)).isEmpty();
    }
}
