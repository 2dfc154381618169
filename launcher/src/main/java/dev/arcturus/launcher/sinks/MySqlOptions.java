package dev.arcturus.launcher.sinks;

import dev.arcturus.sinks.mysql.MySqlSinkConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the MySQL sink writes. The password never goes on the command line (where {@code ps} shows it): it comes
 * from {@code ARCTURUS_MYSQL_PASSWORD} or a file.
 */
public final class MySqlOptions {
    public static final String PASSWORD_ENV = "ARCTURUS_MYSQL_PASSWORD";

    @Option(names = {"--mysql-jdbc-url", "--jdbc-url"}, defaultValue = "${env:ARCTURUS_MYSQL_JDBC_URL}",
            description = "jdbc:mysql://host:port/database of the Arcturus tables (env ARCTURUS_MYSQL_JDBC_URL).")
    String jdbcUrl;

    @Option(names = "--mysql-user", defaultValue = "${env:ARCTURUS_MYSQL_USER:-arcturus}",
            description = "Database user (env ARCTURUS_MYSQL_USER; default ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--mysql-password-file", description = "File holding the database password (else env "
            + PASSWORD_ENV + ").")
    Path passwordFile;

    @Option(names = "--telemetry-retention", defaultValue = "P7D",
            description = "How long system_info and region_probe_info rows are kept, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration telemetryRetention;

    @Option(names = "--mysql-capture", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also read the database's row-based binary log, so rows written into node_region and "
                    + "domain_origin (init_nodes.sql, tools) flow into the plane (default ${DEFAULT-VALUE}; "
                    + "--no-mysql-capture for a write-only mirror).")
    boolean capture;

    public boolean isConfigured() {
        return jdbcUrl != null && !jdbcUrl.isBlank();
    }

    public MySqlSinkConfig config() {
        if (!isConfigured()) {
            throw new IllegalArgumentException("--mysql-jdbc-url (or ARCTURUS_MYSQL_JDBC_URL) is required");
        }
        return new MySqlSinkConfig(jdbcUrl, user, password(), telemetryRetention,
                MySqlSinkConfig.DEFAULT_RETENTION_INTERVAL, capture);
    }

    private String password() {
        if (passwordFile != null) {
            try {
                return Files.readString(passwordFile).strip();
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot read --mysql-password-file " + passwordFile, e);
            }
        }
        return Optional.ofNullable(System.getenv(PASSWORD_ENV)).orElse("");
    }
}
