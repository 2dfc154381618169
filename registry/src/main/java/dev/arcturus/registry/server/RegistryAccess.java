package dev.arcturus.registry.server;

import dev.arcturus.bus.BusCredentials;
import dev.arcturus.bus.BusPrincipal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use the registry. Reads (GET, lookups, compatibility tests) take any signed-in principal — or anyone, when
 * anonymous reads are allowed for local development; writes (registering a schema, changing compatibility, deleting)
 * take a principal with the right: the admin, the gateway and the streams apps, which register what they write. A
 * sink or an unknown caller is refused, with the principal logged by the server. Principals sign in with HTTP basic
 * auth and the same password as at Kafka; passwords are compared as hashes in constant time.
 */
public final class RegistryAccess {
    /** The principals that may change the registry: whoever registers the schemas it writes. */
    static final Set<BusPrincipal> WRITERS = Set.of(BusPrincipal.ADMIN, BusPrincipal.GATEWAY,
            BusPrincipal.ADMISSION, BusPrincipal.LIVENESS, BusPrincipal.NETWORK_METRICS, BusPrincipal.PATH_SELECTION,
            BusPrincipal.RUN_STATE, BusPrincipal.PLACEMENT);

    private final Map<String, byte[]> passwordHashes;
    private final Set<String> writers;
    private final boolean anonymousReads;
    private final boolean open;
    /** Where producing clients' logins are ({@code arcturus bus grant-producer}); they may read. */
    private final Optional<java.nio.file.Path> producers;

    private RegistryAccess(final Map<String, byte[]> passwordHashes, final Set<String> writers,
                           final boolean anonymousReads, final boolean open,
                           final Optional<java.nio.file.Path> producers) {
        this.passwordHashes = Map.copyOf(passwordHashes);
        this.writers = Set.copyOf(writers);
        this.anonymousReads = anonymousReads;
        this.open = open;
        this.producers = producers;
    }

    /** No sign-in at all: a registry for a test's throwaway, unsecured broker. */
    public static RegistryAccess open() {
        return new RegistryAccess(Map.of(), Set.of(), true, true, Optional.empty());
    }

    /** Sign-in with the plane's credentials; {@code anonymousReads} lets anyone read (local development only). */
    public static RegistryAccess signedIn(final BusCredentials credentials, final boolean anonymousReads) {
        return signedIn(credentials, anonymousReads, Optional.empty());
    }

    /**
     * As {@link #signedIn(BusCredentials, boolean)}, and producing clients granted since start may read: their
     * logins are looked up in {@code producers} when they first sign in.
     */
    public static RegistryAccess signedIn(final BusCredentials credentials, final boolean anonymousReads,
                                          final Optional<java.nio.file.Path> producers) {
        final Map<String, byte[]> hashes = new HashMap<>();
        credentials.principals().forEach(p -> hashes.put(p.name(), sha256(credentials.password(p))));
        return new RegistryAccess(hashes, WRITERS.stream().map(BusPrincipal::name)
                .collect(java.util.stream.Collectors.toSet()), anonymousReads, false, producers);
    }

    /**
     * Checks one request; returns the signed-in principal (empty for an anonymous read) or throws 401 (no or wrong
     * credentials) / 403 (signed in without the right).
     */
    Optional<String> check(final boolean write, final String operation, final String authorization) {
        if (open) {
            return Optional.empty();
        }
        final Optional<String> principal = principal(authorization);
        if (principal.isEmpty()) {
            if (authorization == null && !write && anonymousReads) {
                return Optional.empty();
            }
            throw RegistryError.unauthorized();
        }
        if (write && !writers.contains(principal.get())) {
            throw RegistryError.denied(principal.get(), operation);
        }
        return principal;
    }

    private Optional<String> principal(final String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        final String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException e) {
            return Optional.empty();
        }
        final int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        final String user = decoded.substring(0, colon);
        // A producer's login is read on each sign-in (rare: clients cache schemas), so a re-grant takes effect.
        final byte[] plane = passwordHashes.get(user);
        final byte[] expected = plane != null ? plane : producerPasswordHash(user);
        final byte[] given = sha256(decoded.substring(colon + 1));
        // Compared even for an unknown user, so the answer's timing says nothing about which users exist.
        final boolean matches = MessageDigest.isEqual(expected != null ? expected : new byte[given.length], given);
        return matches && expected != null ? Optional.of(user) : Optional.empty();
    }

    /** A producing client's password hash from its login file, or null (nobody by that name). */
    private byte[] producerPasswordHash(final String user) {
        if (producers.isEmpty() || !dev.arcturus.bus.BusAccess.CLIENT_NAME.matcher(user).matches()) {
            return null;
        }
        final java.nio.file.Path file = producers.get().resolve(user + ".properties");
        if (!java.nio.file.Files.isRegularFile(file)) {
            return null;
        }
        final dev.arcturus.config.KafkaClientSettings login;
        try {
            login = dev.arcturus.config.KafkaClientSettings.fromFile(file);
        } catch (final java.io.UncheckedIOException unreadable) {
            return null;
        }
        return login.registryUserInfo()
                .filter(info -> info.startsWith(user + ":"))
                .map(info -> sha256(info.substring(user.length() + 1))).orElse(null);
    }

    private static byte[] sha256(final String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
