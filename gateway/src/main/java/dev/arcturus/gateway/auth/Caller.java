package dev.arcturus.gateway.auth;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Authorization checks for the current call. Each failure is PERMISSION_DENIED with what was required, never a
 * hint about other principals' resources beyond their id.
 */
public final class Caller {

    private Caller() {
    }

    public static Principal current() {
        final Principal principal = AuthInterceptor.PRINCIPAL.get();
        if (principal == null) {
            throw Status.UNAUTHENTICATED.withDescription("no authenticated principal").asRuntimeException();
        }
        return principal;
    }

    /** The hash of the token the current call presented (streams re-check it while they stay open). */
    public static String tokenHash() {
        final String hash = AuthInterceptor.TOKEN_HASH.get();
        if (hash == null) {
            throw Status.UNAUTHENTICATED.withDescription("no authenticated principal").asRuntimeException();
        }
        return hash;
    }

    public static Principal requireAdmin() {
        final Principal principal = current();
        if (!principal.isAdmin()) {
            throw denied("this RPC is for ADMIN");
        }
        return principal;
    }

    /** Users (USER, USER_PRIV) and ADMIN; not nodes. */
    public static Principal requireUserOrAdmin() {
        final Principal principal = current();
        if (!principal.isAdmin() && !principal.isUser()) {
            throw denied("this RPC is for users (USER, USER_PRIV) and ADMIN");
        }
        return principal;
    }

    /** A node acting for itself, or ADMIN. */
    public static Principal requireNodeItselfOrAdmin(final String nodeId) {
        final Principal principal = current();
        if (principal.isAdmin() || (principal.isNode() && principal.id().equals(nodeId))) {
            return principal;
        }
        throw denied("only node " + nodeId + " itself or ADMIN may do this");
    }

    /** The named principal itself, or ADMIN. */
    public static Principal requireSelfOrAdmin(final String id) {
        final Principal principal = current();
        if (principal.isAdmin() || principal.id().equals(id)) {
            return principal;
        }
        throw denied("only " + id + " itself or ADMIN may do this");
    }

    public static StatusRuntimeException denied(final String why) {
        return Status.PERMISSION_DENIED.withDescription(why).asRuntimeException();
    }
}
