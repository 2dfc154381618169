package dev.arcturus.sinks.mongo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Awaits a Reactive Streams publisher from the MongoDB driver. The sink writes one batch at a time and commits
 * offsets only after the batch is acknowledged, so it waits for each result instead of chaining them.
 */
public final class Publishers {

    private Publishers() {
    }

    /** Every item the publisher emits, once it completes; its error rethrown as is when it is unchecked. */
    public static <T> List<T> await(final Publisher<T> publisher, final Duration timeout) {
        final CompletableFuture<List<T>> done = new CompletableFuture<>();
        publisher.subscribe(new Subscriber<T>() {
            private final List<T> items = new ArrayList<>();

            @Override
            public void onSubscribe(final Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(final T item) {
                items.add(item);
            }

            @Override
            public void onError(final Throwable error) {
                done.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
                done.complete(items);
            }
        });
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("MongoDB operation failed", e.getCause());
        } catch (final TimeoutException e) {
            throw new MongoUnavailableException("no answer from MongoDB within " + timeout, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MongoUnavailableException("interrupted waiting for MongoDB", e);
        }
    }

    /** MongoDB did not answer in time; the sink retries. */
    static final class MongoUnavailableException extends RuntimeException {
        MongoUnavailableException(final String message, final Throwable cause) {
            super(message, cause);
        }
    }
}
