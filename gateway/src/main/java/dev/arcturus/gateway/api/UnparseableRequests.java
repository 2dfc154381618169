package dev.arcturus.gateway.api;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;

/**
 * A request whose bytes are not a valid protobuf message gets INVALID_ARGUMENT saying so. Left to itself, gRPC parses
 * before any interceptor sees the message and answers such a request with UNKNOWN ("Application error processing
 * RPC") plus a SEVERE log line per request, which reads like a server bug and lets a fuzzer flood the log. Here the
 * service takes the raw request stream and the original parse runs inside a listener this class guards.
 */
public final class UnparseableRequests implements ServerInterceptor {
    private UnparseableRequests() {
    }

    /** The service with parse failures answered as INVALID_ARGUMENT. */
    public static ServerServiceDefinition guard(final ServerServiceDefinition service) {
        // Streams in and out: the request is parsed downstream of the guard, the response passes through as is.
        return ServerInterceptors.intercept(ServerInterceptors.useInputStreamMessages(service),
                new UnparseableRequests());
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(final ServerCall<Q, R> call, final Metadata headers,
                                                       final ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(final Q message) {
                if (refused) {
                    return;
                }
                try {
                    // Downstream, the message is parsed into the method's request type; handlers only act on
                    // half-close, so a failure here is the parse.
                    super.onMessage(message);
                } catch (final RuntimeException e) {
                    refused = true;
                    call.close(Status.INVALID_ARGUMENT.withDescription("request: not a valid "
                            + call.getMethodDescriptor().getBareMethodName() + " request message ("
                            + Status.fromThrowable(e).getDescription() + ")"), new Metadata());
                }
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }

            @Override
            public void onReady() {
                if (!refused) {
                    super.onReady();
                }
            }
        };
    }
}
