package dev.arcturus.connector.journal;

import dev.arcturus.connector.link.Backoff;
import dev.arcturus.connector.link.LinkLog;
import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.UpdateRunRequest;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run reporter of a node that may lose its link: every step is journaled (fsync'd) first, then delivered to the
 * plane in order by one sender thread, which publishes a run's artifact before its final step and retries with
 * capped, jittered backoff while the plane is away. Deliveries are idempotent (run ids are deterministic and the run
 * state ignores repeats), so a crash between delivery and acknowledgement only repeats one.
 */
public final class RunOutbox implements RunReporter, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunOutbox.class);

    /** Where the outbox delivers: the plane's run service and its artifact store. */
    public interface Plane {
        /** Delivers one step; throws {@link StatusRuntimeException} when the plane refuses or cannot be reached. */
        void updateRun(UpdateRunRequest update);

        /** Publishes the run directory as the run's artifact; its URL, or "" when the plane stores none. */
        String publishArtifact(UpdateRunRequest update, Path runDir);
    }

    private final String nodeId;
    private final RunJournal journal;
    private final Plane plane;
    private final Consumer<UpdateRunRequest> recorded;
    private final Consumer<String> rejected;
    private final Backoff backoff;
    private final LinkLog link;
    private final Thread sender;
    private final Object signal = new Object();
    private volatile boolean closed;
    private boolean restored; // guarded by signal

    /**
     * @param recorded called with every step once it is journaled (meters)
     * @param rejected called once if the plane rejects the node's credentials: the agent must stop, not retry
     */
    public RunOutbox(final String nodeId, final RunJournal journal, final Plane plane, final Backoff backoff,
                     final Consumer<UpdateRunRequest> recorded, final Consumer<String> rejected) {
        this.nodeId = nodeId;
        this.journal = journal;
        this.plane = plane;
        this.backoff = backoff;
        this.recorded = recorded;
        this.rejected = rejected;
        this.link = new LinkLog(log, "Node " + nodeId + " run reports");
        this.sender = new Thread(this::deliverForever, "run-outbox-" + nodeId);
        sender.setDaemon(true);
    }

    /** Starts delivering what the journal holds (after a restart, what was pending before it). */
    public RunOutbox start() {
        sender.start();
        return this;
    }

    @Override
    public void report(final UpdateRunRequest update) {
        journal.append(update, "");
        recorded.accept(update);
        wake();
    }

    @Override
    public void finish(final UpdateRunRequest update, final Path runDir) {
        journal.append(update, runDir.toString());
        recorded.accept(update);
        wake();
    }

    @Override
    public Optional<RunStatus> lastStatus(final String runId) {
        return journal.lastStatus(runId);
    }

    /** The link is back (the assignment stream delivered again): retry now instead of at the end of a backoff. */
    public void linkRestored() {
        backoff.reset();
        synchronized (signal) {
            restored = true;
            signal.notifyAll();
        }
    }

    public int pending() {
        return journal.pendingCount();
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void deliverForever() {
        while (!closed) {
            final Optional<RunJournal.Pending> head = journal.head();
            if (head.isEmpty()) {
                pause(Duration.ofSeconds(1));
                continue;
            }
            try {
                deliver(head.get());
                journal.acknowledge(head.get().seq());
                backoff.reset();
                link.succeeded();
            } catch (final StatusRuntimeException e) {
                switch (e.getStatus().getCode()) {
                    case UNAUTHENTICATED -> {
                        rejected.accept("the plane rejected node " + nodeId + "'s token delivering run reports ("
                                + e.getStatus().getDescription() + ")");
                        return;
                    }
                    case INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, FAILED_PRECONDITION, OUT_OF_RANGE -> {
                        // The plane will never take it (e.g. the job was deleted meanwhile): keep the rest moving.
                        log.error("Run {}: the plane refused its {} report ({}); dropped from the journal",
                                head.get().update().getRunId(), head.get().update().getStatus(), e.getStatus());
                        journal.acknowledge(head.get().seq());
                    }
                    default -> retryLater(e);
                }
            } catch (final RuntimeException e) {
                retryLater(e);
            }
        }
    }

    private void deliver(final RunJournal.Pending entry) {
        UpdateRunRequest update = entry.update();
        if (!entry.artifactDir().isEmpty()) {
            update = update.toBuilder().setArtifactUrl(plane.publishArtifact(update, Path.of(entry.artifactDir())))
                    .build();
        }
        plane.updateRun(update);
    }

    /** Waits out the backoff; only the link's return (or closing) cuts it short, not new reports. */
    private void retryLater(final RuntimeException cause) {
        link.failed(cause);
        final long until = System.nanoTime() + backoff.next().toNanos();
        synchronized (signal) {
            restored = false;
            try {
                for (long left = until - System.nanoTime(); !closed && !restored && left > 0;
                     left = until - System.nanoTime()) {
                    signal.wait(Math.max(1, left / 1_000_000));
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    private void pause(final Duration wait) {
        synchronized (signal) {
            try {
                signal.wait(Math.max(1, wait.toMillis()));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        sender.interrupt();
        try {
            sender.join(2_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
