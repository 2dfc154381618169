package dev.arcturus.admission.calendar;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/** Finds the earliest gap in a set of busy intervals (from one or several nodes). */
public final class FreeSlots {
    private FreeSlots() {
    }

    /**
     * The earliest {@code s >= notBefore} such that {@code [s, s + length)} overlaps no busy interval and
     * {@code s + length <= deadline}; empty when there is none.
     */
    public static OptionalLong earliest(final List<long[]> busy, final long notBefore, final long length,
                                        final long deadline) {
        final List<long[]> sorted = new ArrayList<>(busy);
        sorted.sort(Comparator.comparingLong(b -> b[0]));
        long candidate = notBefore;
        for (final long[] interval : sorted) {
            if (interval[1] <= candidate) {
                continue;
            }
            if (interval[0] >= candidate + length) {
                break; // the gap before this interval fits
            }
            candidate = interval[1];
        }
        return candidate + length <= deadline ? OptionalLong.of(candidate) : OptionalLong.empty();
    }
}
