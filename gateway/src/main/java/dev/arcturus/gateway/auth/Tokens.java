package dev.arcturus.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer tokens: 256 random bits from {@link SecureRandom}, shown to their holder once. Only a SHA-256 hash is
 * stored. A fast hash is right here (unlike for passwords): a 256-bit random token cannot be brute-forced, so no
 * salt or key stretching is needed, and lookups by hash stay O(1).
 */
public final class Tokens {
    /** Marks Arcturus tokens, so secret scanners can recognise a leaked one. */
    public static final String PREFIX = "arc_";
    private static final String HASH_SCHEME = "sha256:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    public static String issue() {
        final byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The stored form of a token. */
    public static String hash(final String token) {
        try {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HASH_SCHEME + HexFormat.of().formatHex(digest);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
