package dev.arcturus.gateway.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates every call from its {@code authorization: Bearer <token>} header and puts the principal in the
 * call's context ({@link Caller#current()}); the handlers then authorize per RPC. Health checks and reflection need no
 * token, so load balancers and grpcurl work. The token itself is never logged or echoed.
 */
public final class AuthInterceptor implements ServerInterceptor {
    static final Context.Key<Principal> PRINCIPAL = Context.key("arcturus-principal");
    static final Context.Key<String> TOKEN_HASH = Context.key("arcturus-token-hash");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";
    private static final Set<String> OPEN_SERVICES = Set.of("grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");

    private final PrincipalDirectory directory;

    public AuthInterceptor(final PrincipalDirectory directory) {
        this.directory = directory;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(final ServerCall<Q, R> call, final Metadata headers,
                                                       final ServerCallHandler<Q, R> next) {
        if (OPEN_SERVICES.contains(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        final String header = headers.get(AUTHORIZATION);
        if (header == null || !header.startsWith(BEARER) || header.length() == BEARER.length()) {
            call.close(Status.UNAUTHENTICATED.withDescription(
                    "missing token: send the header 'authorization: Bearer <token>'"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        final String tokenHash = Tokens.hash(header.substring(BEARER.length()).trim());
        final Optional<Principal> principal = directory.byTokenHash(tokenHash);
        if (principal.isEmpty()) {
            call.close(Status.UNAUTHENTICATED.withDescription("invalid, expired or revoked token"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        return Contexts.interceptCall(Context.current().withValue(PRINCIPAL, principal.get())
                .withValue(TOKEN_HASH, tokenHash), call, headers, next);
    }
}
