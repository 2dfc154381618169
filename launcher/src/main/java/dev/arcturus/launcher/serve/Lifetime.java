package dev.arcturus.launcher.serve;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;

/** A standalone component's resources: stopped in reverse start order on SIGTERM/Ctrl-C. */
public final class Lifetime {
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    public <C extends AutoCloseable> C add(final C resource) {
        resources.push(resource);
        return resource;
    }

    /** Blocks until the JVM is asked to stop, then closes everything. */
    public int runUntilStopped(final String name) throws InterruptedException {
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            stopped.countDown();
        }, name + "-shutdown"));
        stopped.await();
        return 0;
    }

    public void close() {
        while (!resources.isEmpty()) {
            final AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (final Exception e) {
                // Logging may already be shut down in a shutdown hook, hence stderr.
                System.err.println("Stopping " + resource.getClass().getSimpleName() + " failed: " + e);
            }
        }
    }
}
