package dev.arcturus.gateway.api;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A request whose bytes are not a valid protobuf message gets INVALID_ARGUMENT saying so. Left to itself, gRPC parses
 * before any interceptor sees the message and answers such a request with UNKNOWN ("Application error processing
 * RPC") plus a SEVERE log line per request, which reads like a server bug and lets a fuzzer flood the log. Here the
 * service takes raw bytes and the original parse runs inside a listener this class guards.
 */
public final class UnparseableRequests implements ServerInterceptor {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(final byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(final InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot read a request", e);
            }
        }
    };

    private UnparseableRequests() {
    }

    /** Request and response bodies as raw bytes (also what a fuzzing client sends). */
    public static MethodDescriptor.Marshaller<byte[]> bytes() {
        return BYTES;
    }

    /** The service with parse failures answered as INVALID_ARGUMENT. */
    public static ServerServiceDefinition guard(final ServerServiceDefinition service) {
        return ServerInterceptors.intercept(ServerInterceptors.useMarshalledMessages(service, BYTES, BYTES),
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
