package dev.arcturus.scheduling.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * A standard 5-field cron expression, {@code minute hour day-of-month month day-of-week}, read in the job's IANA time
 * zone, with the semantics of Vixie cron and cronie (Debian's {@code cron}, Red Hat's {@code cronie}).
 *
 * <p>Each field is a comma list of items; an item is one of:
 * <ul>
 *   <li>{@code *} — every value of the field;</li>
 *   <li>{@code n} — one value ({@code 5});</li>
 *   <li>{@code a-b} — a range, both ends included ({@code 1-5});</li>
 *   <li><code>*&#47;n</code> — every n-th value from the field's first (<code>*&#47;15</code> in minutes:
 *       0, 15, 30, 45; in days of the month: 1, 3, 5, … for <code>*&#47;2</code>);</li>
 *   <li>{@code a-b/n} — every n-th value from a to b ({@code 1-10/3}: 1, 4, 7, 10).</li>
 * </ul>
 * Ranges: minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or {@code JAN}-{@code DEC}, day-of-week 0-7 or
 * {@code SUN}-{@code SAT} (0 and 7 are both Sunday); names are case-insensitive and may stand at either end of a range
 * but not as a step. {@code a/n} (a single value with a step) is refused, as cronie refuses it: write {@code a-7/n} or
 * {@code a-59/n}.
 *
 * <p>Days, as in Vixie cron: when the day-of-month or the day-of-week field <em>starts with</em> {@code *}
 * (including <code>*&#47;n</code> and lists such as {@code *,5}), a day must match both fields; when both start with
 * something else, a day matching either fires. So <code>0 12 *&#47;2 * 1</code> fires at noon on Mondays that fall on
 * odd days of the month, and {@code 0 12 1,15 * 1} on the 1st, the 15th and every Monday.
 *
 * <p>Macros: {@code @hourly}, {@code @daily}/{@code @midnight}, {@code @weekly}, {@code @monthly},
 * {@code @yearly}/{@code @annually}. Six- or seven-field expressions are refused: tools disagree on whether the first
 * field is seconds or minutes, so sub-minute schedules use {@code @every 30s} instead.
 *
 * <p>DST rule: a local time skipped by a spring-forward transition does not fire that day; a local time repeated by a
 * fall-back transition fires once, at its first (earlier) occurrence.
 */
public final class CronSchedule implements Schedule {
    private static final String[] FIELD_NAMES = {"minute", "hour", "day-of-month", "month", "day-of-week"};
    private static final int[] MIN = {0, 0, 1, 1, 0};
    private static final int[] MAX = {59, 23, 31, 12, 7};
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
        "NOV", "DEC"};
    private static final String[] WEEKDAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
    private static final Map<String, String> MACROS = Map.of(
            "@hourly", "0 * * * *", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@weekly", "0 0 * * 0",
            "@monthly", "0 0 1 * *", "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *");

    private final String text;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean dayOfMonthRestricted;
    private final boolean dayOfWeekRestricted;
    /** Local fire times within a day, in seconds since midnight, ascending. */
    private final int[] secondsOfDay;

    private CronSchedule(final String text, final BitSet[] fields, final boolean domRestricted,
                         final boolean dowRestricted) {
        this.text = text;
        this.daysOfMonth = fields[2];
        this.months = fields[3];
        this.daysOfWeek = fields[4];
        this.dayOfMonthRestricted = domRestricted;
        this.dayOfWeekRestricted = dowRestricted;
        this.secondsOfDay = fields[1].stream()
                .flatMap(h -> fields[0].stream().map(m -> h * 3600 + m * 60))
                .sorted().toArray();
    }

    static CronSchedule parse(final String input) throws InvalidScheduleException {
        final String text = MACROS.getOrDefault(input.toLowerCase(Locale.ROOT), input);
        if (text.startsWith("@")) {
            throw new InvalidScheduleException("schedule: unknown macro '" + input + "' (known: @every, "
                    + String.join(", ", MACROS.keySet().stream().sorted().toList()) + ")");
        }
        final String[] parts = text.trim().split("\\s+");
        if (parts.length != 5) {
            throw new InvalidScheduleException("schedule: '" + input + "' has " + parts.length
                    + " fields; cron needs exactly 5 (minute hour day-of-month month day-of-week)"
                    + (parts.length > 5 ? "; for sub-minute schedules use '@every 30s'" : ""));
        }
        final BitSet[] fields = new BitSet[5];
        for (int i = 0; i < 5; i++) {
            fields[i] = parseField(parts[i].toUpperCase(Locale.ROOT), i);
        }
        if (fields[4].get(7)) {
            fields[4].set(0); // 7 is Sunday too
            fields[4].clear(7);
        }
        // Vixie cron decides from the field's first character: "*/2" and "*,5" leave the day unrestricted.
        return new CronSchedule(input, fields, !parts[2].startsWith("*"), !parts[4].startsWith("*"));
    }

    private static BitSet parseField(final String field, final int index) throws InvalidScheduleException {
        final BitSet bits = new BitSet(MAX[index] + 1);
        for (final String item : field.split(",", -1)) {
            parseItem(item, index, bits);
        }
        return bits;
    }

    private static void parseItem(final String item, final int index, final BitSet bits)
            throws InvalidScheduleException {
        final String name = FIELD_NAMES[index];
        if (item.isEmpty()) {
            throw new InvalidScheduleException("schedule: empty list item in the " + name + " field");
        }
        final String[] rangeAndStep = item.split("/", -1);
        if (rangeAndStep.length > 2) {
            throw new InvalidScheduleException("schedule: '" + item + "' in the " + name + " field has two steps");
        }
        int low = MIN[index];
        int high = index == 4 ? 6 : MAX[index];
        final String range = rangeAndStep[0];
        if (!range.equals("*")) {
            final String[] bounds = range.split("-", -1);
            if (bounds.length > 2) {
                throw new InvalidScheduleException("schedule: '" + range + "' in the " + name
                        + " field is not a range");
            }
            if (bounds.length == 1 && rangeAndStep.length == 2) {
                throw new InvalidScheduleException("schedule: '" + item + "' in the " + name + " field: a step needs "
                        + "* or a range before it (e.g. */" + rangeAndStep[1] + " or " + range + "-" + MAX[index] + "/"
                        + rangeAndStep[1] + "), as in Vixie cron");
            }
            low = value(bounds[0], index);
            high = bounds.length == 2 ? value(bounds[1], index) : low;
            if (high < low) {
                throw new InvalidScheduleException("schedule: range " + range + " in the " + name
                        + " field runs backwards");
            }
        }
        int step = 1;
        if (rangeAndStep.length == 2) {
            step = number(rangeAndStep[1], name + " step");
            if (step < 1) {
                throw new InvalidScheduleException("schedule: the step in the " + name + " field must be at least 1");
            }
        }
        for (int v = low; v <= high; v += step) {
            bits.set(v);
        }
    }

    private static int value(final String token, final int index) throws InvalidScheduleException {
        final String[] names = index == 3 ? MONTHS : index == 4 ? WEEKDAYS : null;
        if (names != null) {
            final int at = Arrays.asList(names).indexOf(token);
            if (at >= 0) {
                return index == 3 ? at + 1 : at;
            }
        }
        final int v = number(token, FIELD_NAMES[index]);
        if (v < MIN[index] || v > MAX[index]) {
            throw new InvalidScheduleException("schedule: " + v + " is out of range " + MIN[index] + "-" + MAX[index]
                    + " in the " + FIELD_NAMES[index] + " field");
        }
        return v;
    }

    private static int number(final String token, final String what) throws InvalidScheduleException {
        if (token.isEmpty() || token.length() > 4 || !token.chars().allMatch(Character::isDigit)) {
            throw new InvalidScheduleException("schedule: '" + token + "' is not a number in the " + what + " field");
        }
        return Integer.parseInt(token);
    }

    /** Whether cron fires on this local date at all. */
    boolean matchesDay(final LocalDate date) {
        if (!months.get(date.getMonthValue())) {
            return false;
        }
        final boolean dom = daysOfMonth.get(date.getDayOfMonth());
        final boolean dow = daysOfWeek.get(date.getDayOfWeek().getValue() % 7);
        if (dayOfMonthRestricted && dayOfWeekRestricted) {
            return dom || dow;
        }
        return dom && dow;
    }

    @Override
    public long[] fireTimes(final long fromMillis, final long toMillis, final ZoneId zone, final int limit) {
        if (toMillis <= fromMillis || secondsOfDay.length == 0) {
            return new long[0];
        }
        final ZoneRules rules = zone.getRules();
        final long fromSecond = Math.floorDiv(fromMillis + 999, 1000);
        final long toSecond = Math.floorDiv(toMillis - 1, 1000); // inclusive bound on whole seconds
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochSecond(fromSecond), zone).minusDays(1);
        final LocalDate lastDay = LocalDate.ofInstant(Instant.ofEpochSecond(toSecond), zone).plusDays(1);
        long[] fires = new long[Math.min(limit + 1, 1024)];
        int count = 0;
        for (; !day.isAfter(lastDay) && count <= limit; day = day.plusDays(1)) {
            if (!matchesDay(day)) {
                continue;
            }
            final long midnightLocal = day.toEpochDay() * 86_400L;
            final boolean steadyDay = rules.isFixedOffset() || noTransitionNear(rules, midnightLocal);
            final int steadyOffset = rules.getOffset(Instant.ofEpochSecond(midnightLocal)).getTotalSeconds();
            for (final int second : secondsOfDay) {
                final long epochSecond;
                if (steadyDay) {
                    epochSecond = midnightLocal + second - steadyOffset;
                } else {
                    final LocalDateTime local = day.atStartOfDay().plusSeconds(second);
                    final var valid = rules.getValidOffsets(local);
                    if (valid.isEmpty()) {
                        continue; // skipped by spring-forward: this wall-clock time does not exist today
                    }
                    // Repeated by fall-back: two valid offsets; the earlier instant uses the larger offset.
                    epochSecond = local.toEpochSecond(valid.get(0));
                }
                if (epochSecond < fromSecond || epochSecond > toSecond) {
                    continue;
                }
                if (count == fires.length) {
                    fires = Arrays.copyOf(fires, Math.min(limit + 1, fires.length * 2));
                }
                fires[count++] = epochSecond * 1000;
                if (count > limit) {
                    break;
                }
            }
        }
        // Ascending without sorting: days are visited in order, times within a day ascend, skipped times are
        // dropped and a repeated time keeps only its earlier instant.
        return Arrays.copyOf(fires, count);
    }

    private static boolean noTransitionNear(final ZoneRules rules, final long midnightLocal) {
        // A day is "steady" when no offset transition lies within a day either side of its local midnight.
        final var next = rules.nextTransition(Instant.ofEpochSecond(midnightLocal - 2 * 86_400));
        return next == null || next.getInstant().getEpochSecond() > midnightLocal + 2 * 86_400;
    }

    @Override
    public String toString() {
        return text;
    }
}
