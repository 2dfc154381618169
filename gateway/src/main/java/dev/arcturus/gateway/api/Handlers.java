package dev.arcturus.gateway.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unary handler: its result goes to the client; a gRPC status error goes back as is; anything else is a bug,
 * logged with its cause and answered INTERNAL without internals, so no handler ever leaves a call hanging.
 */
final class Handlers {
    private static final Logger log = LoggerFactory.getLogger(Handlers.class);

    private Handlers() {
    }

    static <R> void unary(final StreamObserver<R> response, final Supplier<R> handler) {
        final R result;
        try {
            result = handler.get();
        } catch (final StatusRuntimeException e) {
            response.onError(e);
            return;
        } catch (final RuntimeException e) {
            log.error("Handler failed", e);
            response.onError(Status.INTERNAL.withDescription("internal error; see the gateway log").asRuntimeException());
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }
}
