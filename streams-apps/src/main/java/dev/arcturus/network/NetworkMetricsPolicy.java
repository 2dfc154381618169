package dev.arcturus.network;

import java.time.Duration;

/**
 * @param cycle        assessment period: every pair's metric and virtual queues are updated exactly once per cycle
 * @param staleAfter   a link with no probe round for this long is dropped (tombstoned), never reused for ever
 * @param keptSamples  successful connect times kept per link for the latency estimate
 * @param cpuSamples   CPU samples per node for mean and variance (the seed used 10)
 * @param republishShare a probe round that moves a link's latency estimate by more than this share of the last
 *                     published value (or a link's first round) is published at once, without waiting for the cycle
 *                     (the virtual queues still move only once per cycle): paths follow a probe within a second
 */
public record NetworkMetricsPolicy(Duration cycle, Duration staleAfter, int keptSamples, int cpuSamples,
                                   double republishShare) {
    public NetworkMetricsPolicy {
        if (cycle.isNegative() || cycle.isZero() || staleAfter.compareTo(cycle) < 0) {
            throw new IllegalArgumentException("need 0 < cycle <= staleAfter, got " + cycle + " and " + staleAfter);
        }
        if (keptSamples < 1 || cpuSamples < 1) {
            throw new IllegalArgumentException("sample counts must be positive");
        }
        if (!(republishShare > 0)) {
            throw new IllegalArgumentException("republishShare must be positive, got " + republishShare);
        }
    }

    /**
     * The seed's 60 s assessment cycle and 10 CPU samples; links stale after three cycles without probes; a new link,
     * or a latency moved by more than 10 %, published at once.
     */
    public static NetworkMetricsPolicy defaults() {
        return new NetworkMetricsPolicy(Duration.ofSeconds(60), Duration.ofSeconds(180), 20, 10, 0.10);
    }
}
