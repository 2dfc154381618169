package dev.arcturus.sinks.mysql.capture;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * Marks the telemetry rows an agent appended as taken in (their record's event id, and the node ids resolved from
 * their addresses), in one database transaction. Idempotent: a row already marked is left alone.
 */
final class RowClaims {
    private final DatabaseSettings database;

    RowClaims(final DatabaseSettings database) {
        this.database = database;
    }

    void claim(final List<RowMapping.Output> outputs) {
        final List<RowMapping.RowClaim> claims = outputs.stream().map(RowMapping.Output::claim)
                .filter(Objects::nonNull).toList();
        if (claims.isEmpty()) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
                database.password());
             PreparedStatement probe = connection.prepareStatement("UPDATE region_probe_info SET event_id = ?, "
                     + "source_node_id = ?, target_node_id = ? WHERE id = ? AND event_id IS NULL");
             PreparedStatement sample = connection.prepareStatement("UPDATE system_info SET event_id = ?, "
                     + "node_id = ? WHERE id = ? AND event_id IS NULL")) {
            connection.setAutoCommit(false);
            for (final RowMapping.RowClaim claim : claims) {
                switch (claim.table()) {
                    case "region_probe_info" -> {
                        probe.setString(1, claim.eventId());
                        probe.setString(2, claim.sourceNodeId());
                        probe.setString(3, claim.targetNodeId());
                        probe.setLong(4, claim.rowId());
                        probe.addBatch();
                    }
                    case "system_info" -> {
                        sample.setString(1, claim.eventId());
                        sample.setString(2, claim.sourceNodeId());
                        sample.setLong(3, claim.rowId());
                        sample.addBatch();
                    }
                    default -> throw new IllegalArgumentException("no claim for table " + claim.table());
                }
            }
            probe.executeBatch();
            sample.executeBatch();
            connection.commit();
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot mark " + claims.size() + " telemetry row(s) as taken in", e);
        }
    }
}
