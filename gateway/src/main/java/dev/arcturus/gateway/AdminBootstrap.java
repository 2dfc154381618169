package dev.arcturus.gateway;

import dev.arcturus.avro.User;
import dev.arcturus.avro.UserRole;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.gateway.auth.Tokens;
import dev.arcturus.gateway.state.PlaneView;
import dev.arcturus.gateway.state.PlaneWriter;
import dev.arcturus.topics.TopicCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the first admin when the plane has none: its token comes from {@code ARCTURUS_ADMIN_TOKEN} if set, else it
 * is generated and written to a file readable only by its owner. Never a default string (LEOScope's was
 * "leotest-access-token"), and an existing admin is never reset.
 */
public final class AdminBootstrap {
    public static final String ADMIN_ID = "admin";
    public static final String ADMIN_TOKEN_ENV = "ARCTURUS_ADMIN_TOKEN";
    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private AdminBootstrap() {
    }

    /** Returns the file the new admin token was written to, if one was generated now. */
    static Optional<Path> ensureAdmin(final PlaneView view, final PlaneWriter writer, final Path tokenFile,
                                      final Optional<String> tokenFromEnv, final Clock clock) {
        if (view.all(TopicCatalog.USER).stream().anyMatch(u -> u.getRole() == UserRole.ADMIN)) {
            return Optional.empty();
        }
        final String token = tokenFromEnv.filter(t -> !t.isBlank()).orElseGet(Tokens::issue);
        if (token.length() < 32) {
            throw new IllegalArgumentException(ADMIN_TOKEN_ENV + " must be at least 32 characters of random text");
        }
        writer.write(TopicCatalog.USER, ADMIN_ID, User.newBuilder()
                .setMetadata(EventMetadatas.newMetadata("gateway", clock)).setUserId(ADMIN_ID).setName("Administrator")
                .setRole(UserRole.ADMIN).setTokenHash(Tokens.hash(token)).setTokenIssuedAt(clock.instant())
                .setKernelAccess(true).build());
        if (tokenFromEnv.isPresent()) {
            log.info("Created user '{}' (ADMIN) with the token from {}", ADMIN_ID, ADMIN_TOKEN_ENV);
            return Optional.empty();
        }
        writeOwnerOnly(tokenFile, token);
        log.info("Created user '{}' (ADMIN); its token is in {} (mode 0600)", ADMIN_ID, tokenFile);
        return Optional.of(tokenFile);
    }

    private static void writeOwnerOnly(final Path file, final String token) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token + System.lineSeparator(), StandardOpenOption.TRUNCATE_EXISTING);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the admin token to " + file, e);
        }
    }
}
