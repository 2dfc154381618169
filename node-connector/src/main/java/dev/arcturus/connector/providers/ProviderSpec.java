package dev.arcturus.connector.providers;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One source of trigger values, polled every {@code period}: a local executable ({@code exec}, an argument vector —
 * never a shell string) or an HTTP endpoint ({@code url}) that prints one JSON object of numbers (booleans count as
 * 1/0), e.g. {@code {"pop_ping_latency_ms": 31.5, "fraction_obstructed": 0.02}}; or the built-in {@code tcp-rtt}
 * provider, which measures a TCP handshake to {@code target} and publishes it as {@code variable}. A value not
 * refreshed within {@code staleAfter} is stale: a trigger that reads it makes the run SKIPPED, saying so.
 */
public record ProviderSpec(String name, List<String> exec, URI url, String tcpTarget, String variable,
                           Duration period, Duration staleAfter) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    public ProviderSpec {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("providers[].name: lower-case letters, digits, _ and -, was " + name);
        }
        final int sources = (exec.isEmpty() ? 0 : 1) + (url == null ? 0 : 1) + (tcpTarget == null ? 0 : 1);
        if (sources != 1) {
            throw new IllegalArgumentException("providers[" + name + "]: exactly one of exec, url or tcp_rtt");
        }
        if (period.isNegative() || period.isZero() || staleAfter.compareTo(period) < 0) {
            throw new IllegalArgumentException("providers[" + name + "]: period must be positive and stale_after at "
                    + "least the period");
        }
        exec = List.copyOf(exec);
    }
}
