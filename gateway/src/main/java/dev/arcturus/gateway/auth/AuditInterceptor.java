package dev.arcturus.gateway.auth;

import dev.arcturus.avro.AuditEntry;
import dev.arcturus.events.EventMetadatas;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Clock;
import java.util.Set;

/**
 * Records every write RPC — who called, which method, how it ended — on the audit topic. Reads and watches are not
 * audited. Runs after {@link AuthInterceptor}, so the principal is known; never records tokens or request bodies.
 * Audit writes are asynchronous: a slow audit topic does not slow the API, and a failed one is logged.
 */
public final class AuditInterceptor implements ServerInterceptor {
    private static final Set<String> READ_PREFIXES = Set.of("Get", "List", "Watch", "Verify");

    private final AuditLog audit;
    private final Clock clock;

    public AuditInterceptor(final AuditLog audit, final Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(final ServerCall<Q, R> call, final Metadata headers,
                                                       final ServerCallHandler<Q, R> next) {
        final String method = call.getMethodDescriptor().getBareMethodName();
        if (method == null || READ_PREFIXES.stream().anyMatch(method::startsWith)) {
            return next.startCall(call, headers);
        }
        final Principal principal = AuthInterceptor.PRINCIPAL.get();
        final long started = System.nanoTime();
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(final Status status, final Metadata trailers) {
                audit.record(principal.id(), AuditEntry.newBuilder()
                        .setMetadata(EventMetadatas.newMetadata("gateway", clock)).setPrincipalId(principal.id())
                        .setRole(principal.role()).setMethod(call.getMethodDescriptor().getFullMethodName())
                        .setStatusCode(status.getCode().name()).setStatusMessage(status.getDescription())
                        .setDurationMs((System.nanoTime() - started) / 1_000_000).build());
                super.close(status, trailers);
            }
        }, headers);
    }
}
