package dev.arcturus.gateway.observe;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Times every RPC by method and status code ({@code arcturus_gateway_calls_seconds}): the request rate, error rate
 * and latency of the API (a schedule's latency includes waiting for admission's decision). Watches count when they
 * end. Runs outermost, so refused calls (UNAUTHENTICATED, INVALID_ARGUMENT) are counted too.
 */
public final class CallMetricsInterceptor implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(final ServerCall<Q, R> call, final Metadata headers,
                                                       final ServerCallHandler<Q, R> next) {
        final long started = System.nanoTime();
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(final Status status, final Metadata trailers) {
                Timer.builder("arcturus.gateway.calls").description("gRPC calls by method and status")
                        .tag("method", String.valueOf(call.getMethodDescriptor().getBareMethodName()))
                        .tag("code", status.getCode().name())
                        .register(Metrics.globalRegistry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                super.close(status, trailers);
            }
        }, headers);
    }
}
