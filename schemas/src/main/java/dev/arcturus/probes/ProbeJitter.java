package dev.arcturus.probes;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Jitter of a series of TCP-connect times, as the plane reports it everywhere (region_probe_info, network_metrics,
 * the link metric): the mean absolute difference between consecutive successful samples, in the order they were
 * taken (the instantaneous packet delay variation of RFC 3393, averaged, without RFC 3550's smoothing so that a
 * round of a few samples gives a stable figure). Lost samples are skipped, not counted as differences.
 */
public final class ProbeJitter {
    private ProbeJitter() {
    }

    /** Jitter in microseconds of the successful samples in order; empty with fewer than two. */
    public static OptionalDouble micros(final List<Long> successfulRttMicros) {
        if (successfulRttMicros.size() < 2) {
            return OptionalDouble.empty();
        }
        double sum = 0;
        for (int i = 1; i < successfulRttMicros.size(); i++) {
            sum += Math.abs(successfulRttMicros.get(i) - successfulRttMicros.get(i - 1));
        }
        return OptionalDouble.of(sum / (successfulRttMicros.size() - 1));
    }
}
