package dev.arcturus.sinks.mysql;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the MySQL sink writes.
 *
 * @param jdbcUrl            a {@code jdbc:mysql://} or {@code jdbc:mariadb://}-style URL for mysql-connector-j
 * @param user               database user
 * @param password           database password (never logged)
 * @param telemetryRetention how long system_info and region_probe_info rows are kept
 * @param retentionInterval  how often the retention job runs
 * @param captureChanges     also read the database's binary log: rows operators and tools write into node_region
 *                           and domain_origin flow into the plane (needs a row-based binary log)
 */
public record MySqlSinkConfig(String jdbcUrl, String user, String password, Duration telemetryRetention,
                              Duration retentionInterval, boolean captureChanges) {
    public static final Duration DEFAULT_TELEMETRY_RETENTION = Duration.ofDays(7);
    public static final Duration DEFAULT_RETENTION_INTERVAL = Duration.ofHours(1);

    public MySqlSinkConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:mysql://")) {
            throw new IllegalArgumentException("jdbc-url: must start with jdbc:mysql:// (mysql-connector-j), was "
                    + jdbcUrl.replaceAll("password=[^&;]*", "password=***"));
        }
        Objects.requireNonNull(user, "user");
        if (telemetryRetention.isNegative() || telemetryRetention.isZero()) {
            throw new IllegalArgumentException("telemetry retention: must be positive, was " + telemetryRetention);
        }
        if (retentionInterval.isNegative() || retentionInterval.isZero()) {
            throw new IllegalArgumentException("retention interval: must be positive, was " + retentionInterval);
        }
    }

    public static MySqlSinkConfig of(final String jdbcUrl, final String user, final String password) {
        return new MySqlSinkConfig(jdbcUrl, user, password, DEFAULT_TELEMETRY_RETENTION, DEFAULT_RETENTION_INTERVAL,
                false);
    }

    public MySqlSinkConfig withCapture(final boolean capture) {
        return new MySqlSinkConfig(jdbcUrl, user, password, telemetryRetention, retentionInterval, capture);
    }

    @Override
    public String toString() {
        return "MySqlSinkConfig[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=***, telemetryRetention="
                + telemetryRetention + ", retentionInterval=" + retentionInterval + ", captureChanges="
                + captureChanges + "]";
    }
}
