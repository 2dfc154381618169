package dev.arcturus.connector.link;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter, capped: the n-th retry waits a random time up to {@code min(cap, base·2ⁿ)},
 * so a fleet whose link came back does not retry in step. {@link #reset} after a success.
 */
public final class Backoff {
    private final Duration base;
    private final Duration cap;
    private int attempts;

    public Backoff(final Duration base, final Duration cap) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap, was " + base + ", " + cap);
        }
        this.base = base;
        this.cap = cap;
    }

    /** The wait before the next attempt. */
    public synchronized Duration next() {
        final long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempts, 20));
        attempts++;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(base.toMillis(), Math.max(base.toMillis(),
                ceiling) + 1));
    }

    public synchronized int attempts() {
        return attempts;
    }

    public synchronized void reset() {
        attempts = 0;
    }
}
