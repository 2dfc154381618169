package dev.arcturus.scheduling.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link CronSchedule} against {@link VixieCronReference}, an independent once-a-minute reading of the same line as
 * Vixie cron and cronie read it: the same lines are refused, and every accepted one fires on exactly the minutes the
 * reference matches over two months. Plus the cases users trip on, checked against a calendar by hand.
 */
class CronSemanticsTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
        "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    @Property(tries = 400)
    void shouldAgreeWithTheReferenceOnEveryLine(@ForAll final long seed) throws Exception {
        final Random random = new Random(seed);
        final String expression = String.join(" ", field(random, 0, 59, null, 0, true),
                field(random, 0, 23, null, 0, true), field(random, 1, 31, null, 0, false),
                field(random, 1, 12, MONTHS, 1, false), field(random, 0, 7, DAYS, 0, false));
        final VixieCronReference reference = VixieCronReference.parse(expression);
        if (reference == null) {
            assertThatThrownBy(() -> Schedule.parse(expression)).as("cron refuses '%s'", expression)
                    .isInstanceOf(InvalidScheduleException.class);
            return;
        }
        final Schedule schedule = Schedule.parse(expression);
        final LocalDateTime from = LocalDateTime.of(2026, 1, 1, 0, 0).plusDays(random.nextInt(3 * 365));
        final LocalDateTime to = from.plusDays(62);
        final List<Instant> expected = new ArrayList<>();
        for (LocalDateTime minute = from; minute.isBefore(to); minute = minute.plusMinutes(1)) {
            if (reference.matches(minute)) {
                expected.add(minute.toInstant(ZoneOffset.UTC));
            }
        }
        final List<Instant> actual = Arrays.stream(schedule.fireTimes(from.toInstant(ZoneOffset.UTC).toEpochMilli(),
                to.toInstant(ZoneOffset.UTC).toEpochMilli(), UTC, 200_000)).mapToObj(Instant::ofEpochMilli).toList();
        assertThat(actual).as("'%s' from %s", expression, from).isEqualTo(expected);
    }

    @Test
    void shouldTreatADayFieldStartingWithAStarAsUnrestricted() throws Exception {
        // June 2026: Mondays are the 1st, 8th, 15th, 22nd and 29th. */2 starts with '*', so both fields must match.
        assertThat(noonsInJune2026("0 12 */2 * 1")).containsExactly(1, 15, 29);
        assertThat(noonsInJune2026("0 12 *,2 * 1")).containsExactly(1, 8, 15, 22, 29);
        // Neither starts with '*': either field fires.
        assertThat(noonsInJune2026("0 12 1-3 * MON")).containsExactly(1, 2, 3, 8, 15, 22, 29);
        // The day of the week starts with '*' here: days 1-7 that are Sun, Wed or Sat.
        assertThat(noonsInJune2026("0 12 1-7 * */3")).containsExactly(3, 6, 7);
        assertThat(noonsInJune2026("0 12 */10 * *")).containsExactly(1, 11, 21);
    }

    @Test
    void shouldStepDaysOfTheWeekFromSundayAndReadSevenAsSunday() throws Exception {
        assertThat(noonsInJune2026("0 12 * * */2")).as("Sun, Tue, Thu, Sat")
                .containsExactly(2, 4, 6, 7, 9, 11, 13, 14, 16, 18, 20, 21, 23, 25, 27, 28, 30);
        assertThat(noonsInJune2026("0 12 * * 5-7")).as("Fri, Sat, Sun").containsExactly(5, 6, 7, 12, 13, 14, 19, 20,
                21, 26, 27, 28);
        assertThat(noonsInJune2026("0 12 * * mon-fri/2")).as("Mon, Wed, Fri").containsExactly(1, 3, 5, 8, 10, 12, 15,
                17, 19, 22, 24, 26, 29);
    }

    @Test
    void shouldRefuseAStepAfterASingleValueAsCronieDoes() {
        assertThatThrownBy(() -> Schedule.parse("0 12 * * 1/2")).isInstanceOf(InvalidScheduleException.class)
                .hasMessage("schedule: '1/2' in the day-of-week field: a step needs * or a range before it "
                        + "(e.g. */2 or 1-7/2), as in Vixie cron");
        assertThatThrownBy(() -> Schedule.parse("5/15 * * * *")).hasMessageContaining("minute field")
                .hasMessageContaining("5-59/15");
        assertThatThrownBy(() -> Schedule.parse("0 0 * * MON/2")).hasMessageContaining("day-of-week field");
    }

    private static List<Integer> noonsInJune2026(final String expression) throws InvalidScheduleException {
        final Instant from = Instant.parse("2026-06-01T00:00:00Z");
        return Arrays.stream(Schedule.parse(expression).fireTimes(from.toEpochMilli(),
                        from.plus(30, ChronoUnit.DAYS).toEpochMilli(), UTC, 1000))
                .mapToObj(millis -> {
                    final LocalDateTime at = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), UTC);
                    assertThat(at.getHour()).isEqualTo(12);
                    return at.getDayOfMonth();
                }).toList();
    }

    /** A random field: one to three items of every form cron knows, now and then one it refuses. */
    private static String field(final Random random, final int low, final int high, final String[] names,
                                final int firstName, final boolean narrow) {
        final List<String> items = new ArrayList<>();
        final int count = 1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
        for (int i = 0; i < count; i++) {
            final int a = low + random.nextInt(high - low + 1);
            final int b = a + random.nextInt(high - a + 1);
            final int step = 1 + random.nextInt(Math.max(1, (high - low) / 2));
            final String first = value(random, a, names, firstName);
            final String last = value(random, b, names, firstName);
            switch (random.nextInt(narrow ? 14 : 10)) {
                case 0, 1 -> items.add("*");
                case 2, 3 -> items.add("*/" + step);
                case 4 -> items.add(first + "-" + last);
                case 5 -> items.add(first + "-" + last + "/" + step);
                case 6 -> items.add(first + "/" + step); // refused by cron
                case 7 -> items.add(random.nextInt(20) == 0 ? String.valueOf(high + 1) : first); // out of range
                case 8 -> items.add(random.nextInt(10) == 0 ? last + "-" + first : first); // maybe backwards
                default -> items.add(String.valueOf(a));
            }
        }
        return String.join(",", items);
    }

    private static String value(final Random random, final int value, final String[] names, final int firstName) {
        if (names == null || random.nextBoolean() || value - firstName >= names.length) {
            return String.valueOf(value);
        }
        final String name = names[value - firstName];
        return random.nextBoolean() ? name : name.toLowerCase(java.util.Locale.ROOT);
    }
}
