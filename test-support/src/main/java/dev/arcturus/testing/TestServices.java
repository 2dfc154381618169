package dev.arcturus.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings of the external services tests use (MariaDB, dockerd, Azurite), prepared by {@code ./arcturus test}
 * ({@code ops/test-env/prepare.sh}). Read from the environment, else from {@code .arcturus/test-env/env} in the
 * repository. A missing setting fails the test loudly: a test that needs a service never silently skips.
 */
public final class TestServices {
    private static final Path ENV_FILE = Path.of(".arcturus", "test-env", "env");

    private TestServices() {
    }

    public static String jdbcUrl() {
        return require("ARCTURUS_TEST_JDBC_URL");
    }

    public static String jdbcUser() {
        return require("ARCTURUS_TEST_JDBC_USER");
    }

    public static String jdbcPassword() {
        return require("ARCTURUS_TEST_JDBC_PASSWORD");
    }

    public static String require(final String name) {
        final String fromEnv = System.getenv(name);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        final String fromFile = envFile().get(name);
        if (fromFile != null && !fromFile.isBlank()) {
            return fromFile;
        }
        throw new IllegalStateException(name + " is not set: run the suite with ./arcturus test, or run "
                + "ops/test-env/prepare.sh first (it writes " + ENV_FILE + ")");
    }

    private static Map<String, String> envFile() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            final Path file = dir.resolve(ENV_FILE);
            if (Files.isRegularFile(file)) {
                return parse(file);
            }
        }
        return Map.of();
    }

    /** The file is also sourced by bash, so values may be single-quoted. */
    private static String unquote(final String value) {
        return value.length() >= 2 && value.startsWith("'") && value.endsWith("'")
                ? value.substring(1, value.length() - 1) : value;
    }

    private static Map<String, String> parse(final Path file) {
        final Map<String, String> values = new HashMap<>();
        try {
            for (final String line : Files.readAllLines(file)) {
                final int equals = line.indexOf('=');
                if (equals > 0 && !line.startsWith("#")) {
                    values.put(line.substring(0, equals).trim(), unquote(line.substring(equals + 1).trim()));
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return values;
    }
}
