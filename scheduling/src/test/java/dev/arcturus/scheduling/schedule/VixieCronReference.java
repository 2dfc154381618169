package dev.arcturus.scheduling.schedule;

import java.time.LocalDateTime;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * An independent reference for cron expansion, written for the tests from the behaviour of Vixie cron and cronie
 * (their crontab grammar and their once-a-minute match), not from {@link CronSchedule}: a character-by-character
 * reader of {@code list = range {"," range}}, {@code range = "*" ["/" step] | value ["-" value ["/" step]]}, the
 * day fields' "star" flags taken from the field's first character, Sunday as 0 and 7, and a day that fires when both
 * day fields match if either starts with {@code *}, and when either matches otherwise.
 */
final class VixieCronReference {
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean domStar;
    private final boolean dowStar;

    private VixieCronReference(final BitSet[] fields, final boolean domStar, final boolean dowStar) {
        this.minutes = fields[0];
        this.hours = fields[1];
        this.daysOfMonth = fields[2];
        this.months = fields[3];
        this.daysOfWeek = fields[4];
        this.domStar = domStar;
        this.dowStar = dowStar;
    }

    /** The entry, or null where cron would refuse the line. */
    static VixieCronReference parse(final String expression) {
        final String[] fields = expression.trim().split("[ \t]+");
        if (fields.length != 5) {
            return null;
        }
        final int[][] bounds = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
        final List<List<String>> names = List.of(List.of(), List.of(), List.of(), MONTHS, DAYS);
        final BitSet[] sets = new BitSet[5];
        for (int i = 0; i < 5; i++) {
            sets[i] = new Reader(fields[i], bounds[i][0], bounds[i][1], names.get(i), i == 3 ? 1 : 0).list();
            if (sets[i] == null) {
                return null;
            }
        }
        if (sets[4].get(0) || sets[4].get(7)) {
            sets[4].set(0);
            sets[4].set(7);
        }
        return new VixieCronReference(sets, fields[2].charAt(0) == '*', fields[4].charAt(0) == '*');
    }

    /** Whether cron runs the entry in this local minute. */
    boolean matches(final LocalDateTime minute) {
        final boolean dom = daysOfMonth.get(minute.getDayOfMonth());
        final boolean dow = daysOfWeek.get(minute.getDayOfWeek().getValue() % 7);
        return minutes.get(minute.getMinute()) && hours.get(minute.getHour()) && months.get(minute.getMonthValue())
                && (domStar || dowStar ? dom && dow : dom || dow);
    }

    /** Reads one field the way cron reads a line: one character at a time, refusing a bad terminator. */
    private static final class Reader {
        private final String text;
        private final int low;
        private final int high;
        private final List<String> names;
        private final int firstName;
        private int at;

        Reader(final String text, final int low, final int high, final List<String> names, final int firstName) {
            this.text = text;
            this.low = low;
            this.high = high;
            this.names = names;
            this.firstName = firstName;
        }

        BitSet list() {
            final BitSet bits = new BitSet();
            while (true) {
                if (!range(bits)) {
                    return null;
                }
                if (peek() != ',') {
                    return at == text.length() ? bits : null;
                }
                at++;
            }
        }

        private boolean range(final BitSet bits) {
            final int from;
            final int to;
            if (peek() == '*') {
                at++;
                from = low;
                to = high;
            } else {
                final Integer first = value(",-");
                if (first == null) {
                    return false;
                }
                if (peek() != '-') {
                    return set(bits, first); // a single value; a '/' after it is a bad terminator
                }
                at++;
                final Integer last = value("/,");
                if (last == null || first > last) {
                    return false;
                }
                from = first;
                to = last;
            }
            int step = 1;
            if (peek() == '/') {
                at++;
                final Integer n = digits(",");
                if (n == null || n == 0) {
                    return false;
                }
                step = n;
            }
            for (int v = from; v <= to; v += step) {
                if (!set(bits, v)) {
                    return false;
                }
            }
            return true;
        }

        /** A number or a name, which must be followed by one of {@code terms} or the end of the field. */
        private Integer value(final String terms) {
            final Integer number = digits(terms);
            if (number != null || at < text.length() && Character.isDigit(text.charAt(at))) {
                return number;
            }
            final int start = at;
            while (at < text.length() && Character.isLetter(text.charAt(at))) {
                at++;
            }
            final int index = names.indexOf(text.substring(start, at).toUpperCase(Locale.ROOT));
            return index >= 0 && terminated(terms) ? index + firstName : null;
        }

        private Integer digits(final String terms) {
            final int start = at;
            while (at < text.length() && Character.isDigit(text.charAt(at))) {
                at++;
            }
            if (at == start || at - start > 9 || !terminated(terms)) {
                return null;
            }
            return Integer.parseInt(text.substring(start, at));
        }

        private boolean terminated(final String terms) {
            return at == text.length() || terms.indexOf(text.charAt(at)) >= 0;
        }

        private boolean set(final BitSet bits, final int value) {
            if (value < low || value > high) {
                return false;
            }
            bits.set(value);
            return true;
        }

        private char peek() {
            return at < text.length() ? text.charAt(at) : 0;
        }
    }
}
