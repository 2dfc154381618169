package dev.arcturus.gateway.auth;

import dev.arcturus.avro.AuditEntry;

/**
 * Where {@link AuditInterceptor} records a write RPC; the gateway points it at the audit topic. An interface, so
 * authorization does not depend on how the plane is written to (and the state package may depend on auth).
 */
@FunctionalInterface
public interface AuditLog {
    /** Records one entry, asynchronously: a slow audit topic must not slow the API. */
    void record(String principalId, AuditEntry entry);
}
