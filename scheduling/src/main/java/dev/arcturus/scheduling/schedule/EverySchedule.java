package dev.arcturus.scheduling.schedule;

import java.time.ZoneId;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code @every <n><unit>} (unit {@code s}, {@code m} or {@code h}; e.g. {@code @every 30s}): fires at the window
 * start and then every period, on the UTC timeline. This is the one way to schedule sub-minute measurements; it
 * ignores time zones and DST because a fixed interval has no wall-clock meaning.
 */
public final class EverySchedule implements Schedule {
    private static final Pattern SYNTAX = Pattern.compile("@every\\s+([0-9]{1,7})\\s*([smh])");
    private static final long MIN_PERIOD_SECONDS = 1;

    private final long periodMillis;

    private EverySchedule(final long periodMillis) {
        this.periodMillis = periodMillis;
    }

    static EverySchedule parse(final String text) throws InvalidScheduleException {
        final Matcher m = SYNTAX.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new InvalidScheduleException("schedule: '" + text
                    + "' is not of the form '@every <number><s|m|h>', e.g. '@every 30s'");
        }
        final long amount = Long.parseLong(m.group(1));
        final long seconds = switch (m.group(2)) {
            case "s" -> amount;
            case "m" -> amount * 60;
            default -> amount * 3600;
        };
        if (seconds < MIN_PERIOD_SECONDS) {
            throw new InvalidScheduleException("schedule: the period of '" + text + "' must be at least 1s");
        }
        return new EverySchedule(seconds * 1000);
    }

    public long periodMillis() {
        return periodMillis;
    }

    @Override
    public long nextFire(final long windowStartMillis, final long atOrAfterMillis, final long windowEndMillis,
                         final ZoneId zone) {
        final long behind = Math.max(0, atOrAfterMillis - windowStartMillis);
        final long next = windowStartMillis + (behind + periodMillis - 1) / periodMillis * periodMillis;
        return next < windowEndMillis ? next : -1;
    }

    @Override
    public long[] fireTimes(final long fromMillis, final long toMillis, final ZoneId zone, final int limit) {
        if (toMillis <= fromMillis) {
            return new long[0];
        }
        final long count = Math.min((toMillis - fromMillis - 1) / periodMillis + 1, (long) limit + 1);
        final long[] fires = new long[(int) count];
        for (int i = 0; i < fires.length; i++) {
            fires[i] = fromMillis + i * periodMillis;
        }
        return fires;
    }
}
