package dev.arcturus.bus;

import dev.arcturus.config.KafkaClientSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Every principal's password. On disk (the embedded plane) they are one client properties file per principal,
 * {@code <dir>/<principal>.properties} at mode 0600 in a 0700 directory, generated on first start: the same file is
 * what a standalone component, an operator's Kafka tool or a stock client is given ({@code ARCTURUS_KAFKA_PROPERTIES},
 * {@code --command-config}). Passwords are 256 random bits; {@link #toString()} shows none.
 */
public final class BusCredentials {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<BusPrincipal, String> passwords;

    private BusCredentials(final Map<BusPrincipal, String> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    /** Fresh passwords held in memory only (scenarios and tests with a throwaway broker). */
    public static BusCredentials generate() {
        final Map<BusPrincipal, String> passwords = new LinkedHashMap<>();
        BusPrincipal.all().forEach(p -> passwords.put(p, newPassword()));
        return new BusCredentials(passwords);
    }

    /** The credentials kept in {@code dir}; a principal without a file gets a new password and its file. */
    public static BusCredentials loadOrCreate(final Path dir) {
        return loadOrCreate(dir, BusPrincipal.all());
    }

    /** As {@link #loadOrCreate(Path)}, for {@code principals} only (an external cluster has its own admin). */
    public static BusCredentials loadOrCreate(final Path dir, final java.util.List<BusPrincipal> principals) {
        try {
            if (!Files.isDirectory(dir)) {
                // Made owner-only here; an existing one (e.g. a read-only Kubernetes Secret mount) is left as it is.
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            final Map<BusPrincipal, String> passwords = new LinkedHashMap<>();
            for (final BusPrincipal principal : principals) {
                final Path file = fileOf(dir, principal);
                final String password = Files.exists(file) ? read(file, principal) : newPassword();
                passwords.put(principal, password);
                if (!Files.exists(file)) {
                    writeLogin(file, settings(principal, password));
                }
            }
            return new BusCredentials(passwords);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot keep the bus credentials in " + dir, e);
        }
    }

    /** Where {@link #loadOrCreate} keeps {@code principal}'s client properties. */
    public static Path fileOf(final Path dir, final BusPrincipal principal) {
        return dir.resolve(principal.name() + ".properties");
    }

    /** The principals these credentials hold. */
    public java.util.Set<BusPrincipal> principals() {
        return passwords.keySet();
    }

    public String password(final BusPrincipal principal) {
        final String password = passwords.get(principal);
        if (password == null) {
            throw new IllegalArgumentException("no credentials for " + principal);
        }
        return password;
    }

    /** The client settings that sign in as {@code principal}: SCRAM-SHA-512, or PLAIN for the broker's super user. */
    public KafkaClientSettings clientSettings(final BusPrincipal principal) {
        return settings(principal, password(principal));
    }

    private static KafkaClientSettings settings(final BusPrincipal principal, final String password) {
        return KafkaClientSettings.sasl(principal.equals(BusPrincipal.ADMIN) ? "PLAIN" : "SCRAM-SHA-512",
                principal.name(), password);
    }

    private static String read(final Path file, final BusPrincipal principal) {
        return KafkaClientSettings.fromFile(file).registryUserInfo()
                .filter(info -> info.startsWith(principal.name() + ":"))
                .map(info -> info.substring(principal.name().length() + 1))
                .orElseThrow(() -> new IllegalStateException(file + " does not hold " + principal
                        + "'s SASL login; delete it to generate a new password"));
    }

    /** Writes a login as a client properties file, atomically and owner-only (0600), replacing any before it. */
    public static void writeLogin(final Path file, final KafkaClientSettings settings) throws IOException {
        final Properties properties = new Properties();
        properties.putAll(settings.settings());
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(temporary)) {
            properties.store(out, "Kafka client settings of an Arcturus principal (secret: keep at mode 0600)");
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A new password: 256 random bits, URL-safe base64 (safe in JAAS quotes and HTTP basic auth). */
    public static String newPassword() {
        final byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "BusCredentials" + passwords.keySet();
    }
}
