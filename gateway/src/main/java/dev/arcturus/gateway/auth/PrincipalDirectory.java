package dev.arcturus.gateway.auth;

import java.util.Optional;

/** Resolves a presented token (by its hash) to the principal it belongs to, if it is current. */
@FunctionalInterface
public interface PrincipalDirectory {
    Optional<Principal> byTokenHash(String tokenHash);
}
