package dev.arcturus.gateway.watch;

import dev.arcturus.gateway.auth.Principal;
import dev.arcturus.gateway.auth.PrincipalDirectory;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends open streams whose principal is no longer what it was when the stream opened: its token revoked or expired,
 * its user deleted or its role changed. A unary call is authenticated per call; a stream lives for days, so every
 * open stream's token is re-checked every {@link #CHECK_EVERY} and the stream ends with UNAUTHENTICATED within a
 * second of the change. Writes to a guarded stream are serialised with that ending, so it is safe from any thread.
 */
public final class StreamGuard implements AutoCloseable {
    static final Duration CHECK_EVERY = Duration.ofMillis(250);
    private static final Logger log = LoggerFactory.getLogger(StreamGuard.class);

    private final PrincipalDirectory directory;
    private final Set<Guarded<?>> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread thread = new Thread(r, "gateway-stream-guard");
        thread.setDaemon(true);
        return thread;
    });

    public StreamGuard(final PrincipalDirectory directory) {
        this.directory = directory;
        checks.scheduleWithFixedDelay(this::check, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * The call's stream, guarded: writes go through it, and it ends by itself (running {@code onRevoked} to release
     * what feeds it) when the principal changes.
     */
    <E> StreamObserver<E> guard(final ServerCallStreamObserver<E> call, final Principal principal,
                                final String tokenHash, final Runnable onRevoked) {
        final Guarded<E> guarded = new Guarded<>(call, principal, tokenHash, onRevoked);
        open.add(guarded);
        return guarded;
    }

    /**
     * Ends every open stream with UNAVAILABLE: this replica is stopping, and a client resumes from its last token on
     * another (a stream merely cut would end CANCELLED, which clients do not retry).
     */
    public void endAll() {
        for (final Guarded<?> stream : open) {
            open.remove(stream);
            stream.end(Status.UNAVAILABLE.withDescription("this gateway replica is stopping; resume from your last "
                    + "token on another"));
        }
    }

    int openStreams() {
        return open.size();
    }

    private void check() {
        for (final Guarded<?> stream : open) {
            if (stream.finished() || stream.call.isCancelled()) {
                open.remove(stream);
                continue;
            }
            final Optional<Principal> now = directory.byTokenHash(stream.tokenHash);
            if (now.isEmpty() || !now.get().equals(stream.principal)) {
                final String why = now.isEmpty() ? "token revoked or expired" : "principal changed to role "
                        + now.get().role();
                log.info("Ending a stream of {} ({}): {}", stream.principal.id(), stream.principal.role(), why);
                open.remove(stream);
                stream.end(Status.UNAUTHENTICATED.withDescription("stream ended: " + why));
            }
        }
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }

    private static final class Guarded<E> implements StreamObserver<E> {
        private final ServerCallStreamObserver<E> call;
        private final Principal principal;
        private final String tokenHash;
        private final Runnable onRevoked;
        private boolean done; // guarded by this

        Guarded(final ServerCallStreamObserver<E> call, final Principal principal, final String tokenHash,
                final Runnable onRevoked) {
            this.call = call;
            this.principal = principal;
            this.tokenHash = tokenHash;
            this.onRevoked = onRevoked;
        }

        synchronized boolean finished() {
            return done;
        }

        void end(final Status status) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                if (!call.isCancelled()) {
                    call.onError(status.asRuntimeException());
                }
            }
            onRevoked.run();
        }

        @Override
        public synchronized void onNext(final E value) {
            if (!done && !call.isCancelled()) {
                call.onNext(value);
            }
        }

        @Override
        public synchronized void onError(final Throwable error) {
            if (!done) {
                done = true;
                call.onError(error);
            }
        }

        @Override
        public synchronized void onCompleted() {
            if (!done) {
                done = true;
                call.onCompleted();
            }
        }
    }
}
