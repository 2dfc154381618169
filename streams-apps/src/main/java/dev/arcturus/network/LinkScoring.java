package dev.arcturus.network;

import java.util.Arrays;
import java.util.List;

/**
 * The seed's link evaluation (reference §3), as pure functions: destination CPU mean and population variance over
 * its last samples, percentile-rank normalisation against the whole fleet split at a threshold, and the
 * drift-plus-penalty score {@code W·delay + Q_mean·n_mean + Q_var·n_var} with queues updated {@code Q ← max(0, Q + n)}.
 */
final class LinkScoring {
    static final double THRESHOLD_MEAN = 50;
    static final double THRESHOLD_VARIANCE = 50;
    static final double W = 1;

    private LinkScoring() {
    }

    static double mean(final List<Double> samples) {
        return samples.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    static double populationVariance(final List<Double> samples) {
        final double mean = mean(samples);
        return samples.stream().mapToDouble(x -> (x - mean) * (x - mean)).average().orElse(0);
    }

    /** Median of the recent successful connect times, in milliseconds: one slow handshake does not move it. */
    static double robustLatencyMs(final List<Long> rttMicros) {
        if (rttMicros.isEmpty()) {
            return Double.NaN;
        }
        final long[] sorted = rttMicros.stream().mapToLong(Long::longValue).sorted().toArray();
        final int mid = sorted.length / 2;
        final double micros = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
        return micros / 1000.0;
    }

    /** The fleet's values split at the threshold, sorted, for ranking (one snapshot per assessment cycle). */
    record Population(double[] above, double[] below, double threshold) {
        static Population of(final double[] values, final double threshold) {
            return new Population(Arrays.stream(values).filter(v -> v > threshold).sorted().toArray(),
                    Arrays.stream(values).filter(v -> v <= threshold).sorted().toArray(), threshold);
        }

        /** +1 for the most overloaded node above the threshold, −1 for the least loaded below it. */
        double rank(final double x) {
            if (x > threshold) {
                return above.length <= 1 ? 0 : (double) countBelow(above, x) / (above.length - 1);
            }
            return below.length <= 1 ? 0 : -(1 - (double) countBelow(below, x) / (below.length - 1));
        }

        private static int countBelow(final double[] sorted, final double x) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                final int mid = (lo + hi) >>> 1;
                if (sorted[mid] < x) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    static double score(final double delayMs, final double queueMean, final double rankMean, final double queueVariance,
                        final double rankVariance) {
        return W * delayMs + queueMean * rankMean + queueVariance * rankVariance;
    }

    static double nextQueue(final double queue, final double rank) {
        return Math.max(0, queue + rank);
    }
}
