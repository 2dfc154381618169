package dev.arcturus.gateway.dashboard;

import dev.arcturus.gateway.auth.Principal;
import dev.arcturus.gateway.auth.PrincipalDirectory;
import dev.arcturus.gateway.auth.Tokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dashboard log-ins. An ADMIN signs in with their API token once; the browser then holds a random session id in an
 * HttpOnly cookie. Only hashes are kept (of the session id, and of the token it was opened with), and every request
 * re-checks that token against the directory, so a rotated or revoked token, or a demoted user, ends the session at
 * once. Sessions also expire after {@link #MAX_AGE}.
 */
final class DashboardSessions {
    static final Duration MAX_AGE = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrincipalDirectory directory;
    private final Clock clock;
    private final Map<String, Session> byIdHash = new ConcurrentHashMap<>();

    private record Session(String tokenHash, Instant expiresAt) {
    }

    DashboardSessions(final PrincipalDirectory directory, final Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /** A new session id for a valid ADMIN token; empty for anything else (the caller answers one generic error). */
    Optional<String> open(final String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        final String tokenHash = Tokens.hash(token.strip());
        if (directory.byTokenHash(tokenHash).filter(Principal::isAdmin).isEmpty()) {
            return Optional.empty();
        }
        purgeExpired();
        final byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        final String id = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byIdHash.put(Tokens.hash(id), new Session(tokenHash, clock.instant().plus(MAX_AGE)));
        return Optional.of(id);
    }

    /** The signed-in ADMIN behind a session id, if the session and its token are still good. */
    Optional<Principal> principal(final String sessionId) {
        if (sessionId == null || sessionId.isEmpty()) {
            return Optional.empty();
        }
        final String key = Tokens.hash(sessionId);
        final Session session = byIdHash.get(key);
        if (session == null) {
            return Optional.empty();
        }
        if (!session.expiresAt().isAfter(clock.instant())) {
            byIdHash.remove(key);
            return Optional.empty();
        }
        final Optional<Principal> principal = directory.byTokenHash(session.tokenHash()).filter(Principal::isAdmin);
        if (principal.isEmpty()) {
            byIdHash.remove(key); // token rotated or revoked, or no longer ADMIN
        }
        return principal;
    }

    void close(final String sessionId) {
        if (sessionId != null && !sessionId.isEmpty()) {
            byIdHash.remove(Tokens.hash(sessionId));
        }
    }

    private void purgeExpired() {
        final Instant now = clock.instant();
        byIdHash.values().removeIf(s -> !s.expiresAt().isAfter(now));
    }
}
