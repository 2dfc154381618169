package dev.arcturus.tools.chaos;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling for a condition the scenario observes from outside (topics, groups), with a deadline. */
final class Waits {
    private static final long POLL_MILLIS = 50;

    private Waits() {
    }

    /** Waits until {@code done} holds; false when {@code timeout} passed first. */
    static boolean until(final BooleanSupplier done, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }
}
