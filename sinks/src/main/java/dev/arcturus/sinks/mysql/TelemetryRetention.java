package dev.arcturus.sinks.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes telemetry rows (system_info, region_probe_info) older than the retention, the way the seed never did.
 * Deletes run in bounded chunks, each its own transaction, so they never hold long locks against the sink's writes.
 */
public final class TelemetryRetention implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TelemetryRetention.class);
    private static final int CHUNK_ROWS = 10_000;
    private static final String[] TABLE_TIME_COLUMNS = {"system_info.timestamp", "region_probe_info.probe_time"};

    private final DataSource dataSource;
    private final Duration retention;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "arcturus-mysql-retention"));

    TelemetryRetention(final DataSource dataSource, final Duration retention, final Clock clock) {
        this.dataSource = dataSource;
        this.retention = retention;
        this.clock = clock;
    }

    /** Runs the job now and then every {@code interval}. */
    void schedule(final Duration interval) {
        scheduler.scheduleWithFixedDelay(this::runLogged, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runLogged() {
        try {
            final long deleted = runOnce();
            if (deleted > 0) {
                log.info("Telemetry retention: deleted {} rows older than {}", deleted, retention);
            }
        } catch (final SQLException e) {
            log.warn("Telemetry retention failed; next run in one interval: {}", e.toString(), e);
        }
    }

    /** Deletes every expired row; returns how many. */
    long runOnce() throws SQLException {
        final Instant cutoff = clock.instant().minus(retention);
        long deleted = 0;
        for (final String tableColumn : TABLE_TIME_COLUMNS) {
            final String[] parts = tableColumn.split("\\.");
            final String sql = "DELETE FROM " + parts[0] + " WHERE " + parts[1] + " < ? LIMIT " + CHUNK_ROWS;
            int chunk;
            do {
                try (Connection connection = dataSource.getConnection();
                     PreparedStatement delete = connection.prepareStatement(sql)) {
                    delete.setString(1, ArcturusTables.utc(cutoff));
                    chunk = delete.executeUpdate();
                    connection.commit();
                }
                deleted += chunk;
            } while (chunk == CHUNK_ROWS);
        }
        return deleted;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
