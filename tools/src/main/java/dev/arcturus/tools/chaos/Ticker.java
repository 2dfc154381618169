package dev.arcturus.tools.chaos;

import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * A load generator's clock: calls {@code onTick(n)} every {@code every} on a thread of its own until closed. A tick
 * that overruns its period is followed at once by the next, so the offered load is kept up rather than drifting.
 */
final class Ticker implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    Ticker(final String name, final Duration every, final LongConsumer onTick) {
        thread = new Thread(() -> run(every, onTick), name);
        thread.start();
    }

    private void run(final Duration every, final LongConsumer onTick) {
        final long start = System.nanoTime();
        for (long tick = 0; running; tick++) {
            try {
                onTick.accept(tick);
            } catch (final RuntimeException e) {
                failure = e;
                return;
            }
            final long rest = start + (tick + 1) * every.toNanos() - System.nanoTime();
            if (rest > 0) {
                try {
                    Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
                } catch (final InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Stops after the current tick; rethrows what a tick threw, so a broken load generator never passes quietly. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(60_000);
        if (failure != null) {
            throw new IllegalStateException("the load generator " + thread.getName() + " failed", failure);
        }
    }
}
