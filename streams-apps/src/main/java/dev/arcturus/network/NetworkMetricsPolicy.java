package dev.arcturus.network;

import java.time.Duration;

/**
 * @param cycle        assessment period: every pair's metric and virtual queues are updated exactly once per cycle
 * @param staleAfter   a link with no probe round for this long is dropped (tombstoned), never reused for ever
 * @param keptSamples  successful connect times kept per link for the latency estimate
 * @param cpuSamples   CPU samples per node for mean and variance (the seed used 10)
 */
public record NetworkMetricsPolicy(Duration cycle, Duration staleAfter, int keptSamples, int cpuSamples) {
    public NetworkMetricsPolicy {
        if (cycle.isNegative() || cycle.isZero() || staleAfter.compareTo(cycle) < 0) {
            throw new IllegalArgumentException("need 0 < cycle <= staleAfter, got " + cycle + " and " + staleAfter);
        }
        if (keptSamples < 1 || cpuSamples < 1) {
            throw new IllegalArgumentException("sample counts must be positive");
        }
    }

    /** The seed's 60 s assessment cycle and 10 CPU samples; links stale after three cycles without probes. */
    public static NetworkMetricsPolicy defaults() {
        return new NetworkMetricsPolicy(Duration.ofSeconds(60), Duration.ofSeconds(180), 20, 10);
    }
}
