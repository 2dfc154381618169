package dev.arcturus.placement;

/**
 * The fewest single-job moves that take a fleet of equal-capacity nodes with unit-weight jobs from {@code counts}
 * to an imbalance at or below {@code threshold}: for a target band {@code [a, a + spread]} of job counts, nodes above
 * it must shed their excess and nodes below must receive their deficit, and one move does one of each, so the bound
 * is the larger of the two, minimised over every feasible band. When the threshold is finer than whole jobs allow
 * (4/4/3 can't get below 1/3.67), the band is one job wide: that integer optimum is where placement stops too. The
 * benchmark compares placement's moves with it.
 */
public final class MovesLowerBound {
    private MovesLowerBound() {
    }

    public static long of(final int[] counts, final double threshold) {
        final int n = counts.length;
        long total = 0;
        int max = 0;
        for (final int c : counts) {
            total += c;
            max = Math.max(max, c);
        }
        if (n < 2 || total == 0) {
            return 0;
        }
        final double mean = (double) total / n;
        final int spread = Math.max((int) Math.floor(threshold * mean + 1e-9), total % n == 0 ? 0 : 1);
        long best = Long.MAX_VALUE;
        for (int low = 0; low <= max; low++) {
            final long high = (long) low + spread;
            if ((long) low * n > total || high * n < total) {
                continue; // no placement of all the jobs fits in this band
            }
            long excess = 0;
            long deficit = 0;
            for (final int c : counts) {
                excess += Math.max(0, c - high);
                deficit += Math.max(0, low - c);
            }
            best = Math.min(best, Math.max(excess, deficit));
        }
        return best;
    }
}
