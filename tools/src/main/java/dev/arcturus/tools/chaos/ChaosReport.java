package dev.arcturus.tools.chaos;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a fault scenario proved: records lost and duplicated (both must be 0) plus the scenario's own figures, printed
 * as {@code RESULT chaos <scenario> lost=<n> duplicated=<n> <figure>=<value> ...}; {@code held} is false when the
 * scenario saw something else it guards against (e.g. an accepted forgery).
 */
public record ChaosReport(String scenario, long lost, long duplicated, Map<String, Object> figures, boolean held) {
    public ChaosReport {
        figures = new LinkedHashMap<>(figures);
    }

    public ChaosReport(final String scenario, final long lost, final long duplicated,
                       final Map<String, Object> figures) {
        this(scenario, lost, duplicated, figures, true);
    }

    /** A figure by name (tests assert on them). */
    public double figure(final String name) {
        final Object value = figures.get(name);
        if (value == null) {
            throw new IllegalArgumentException("scenario " + scenario + " has no figure '" + name + "': " + figures);
        }
        return ((Number) value).doubleValue();
    }

    public String line() {
        final StringBuilder line = new StringBuilder("RESULT chaos ").append(scenario).append(" lost=").append(lost)
                .append(" duplicated=").append(duplicated);
        figures.forEach((name, value) -> line.append(' ').append(name).append('=')
                .append(value instanceof Double d ? String.format(java.util.Locale.ROOT, "%.1f", d) : value));
        return line.toString();
    }

    /** Prints the RESULT line; the exit code is 0 only when nothing was lost or duplicated and the scenario held. */
    public int print() {
        System.out.println(line());
        return lost == 0 && duplicated == 0 && held ? 0 : 1;
    }
}
