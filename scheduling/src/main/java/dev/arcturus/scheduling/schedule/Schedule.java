package dev.arcturus.scheduling.schedule;

import java.time.ZoneId;

/** When a job fires. Implementations are immutable and thread-safe. */
public interface Schedule {
    /**
     * Fire instants (epoch milliseconds, ascending, whole seconds) within {@code [fromMillis, toMillis)}, read in
     * {@code zone}. At most {@code limit} are returned; one more than the limit signals "too many" to callers.
     */
    long[] fireTimes(long fromMillis, long toMillis, ZoneId zone, int limit);

    /**
     * The first fire instant at or after {@code atOrAfterMillis} of a job whose window is
     * {@code [windowStartMillis, windowEndMillis)}, or -1 when none is left. Interval schedules are anchored at the
     * window start, so this is not simply {@code fireTimes(atOrAfter, …)}.
     */
    default long nextFire(final long windowStartMillis, final long atOrAfterMillis, final long windowEndMillis,
                          final ZoneId zone) {
        final long[] fires = fireTimes(Math.max(windowStartMillis, atOrAfterMillis), windowEndMillis, zone, 1);
        return fires.length == 0 ? -1 : fires[0];
    }

    /** Parses the schedule syntax Arcturus accepts (see {@link CronSchedule} and {@link EverySchedule}). */
    static Schedule parse(final String text) throws InvalidScheduleException {
        final Schedule known = ParsedSchedules.get(text);
        if (known != null) {
            return known;
        }
        final Schedule parsed = parseUncached(text);
        ParsedSchedules.put(text, parsed);
        return parsed;
    }

    private static Schedule parseUncached(final String text) throws InvalidScheduleException {
        if (text == null || text.isBlank()) {
            throw new InvalidScheduleException("schedule: required for CRON jobs");
        }
        final String trimmed = text.trim();
        if (trimmed.startsWith("@every")) {
            return EverySchedule.parse(trimmed);
        }
        return CronSchedule.parse(trimmed);
    }
}
