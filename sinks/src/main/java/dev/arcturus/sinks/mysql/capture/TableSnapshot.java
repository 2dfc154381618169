package dev.arcturus.sinks.mysql.capture;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tables' rows at one binary-log position, without a lock: InnoDB's consistent snapshot, and MariaDB's
 * {@code binlog_snapshot_file/position} status saying where in the log that snapshot stands (MySQL 8 lacks them and
 * falls back to the position read just before the snapshot; changes in between are read twice, which the capture's
 * comparison with the plane makes harmless).
 */
record TableSnapshot(BinlogPosition position, List<TableRow> rows) {
    static TableSnapshot read(final DatabaseSettings database, final Set<String> tables) {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
                database.password());
             Statement statement = connection.createStatement()) {
            final BinlogPosition before = masterStatus(statement);
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            statement.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
            BinlogPosition position = before;
            try (ResultSet status = statement.executeQuery("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
                final Map<String, String> values = new HashMap<>();
                while (status.next()) {
                    values.put(status.getString(1).toLowerCase(java.util.Locale.ROOT), status.getString(2));
                }
                if (values.containsKey("binlog_snapshot_file") && !values.get("binlog_snapshot_file").isBlank()) {
                    position = new BinlogPosition(values.get("binlog_snapshot_file"),
                            Long.parseLong(values.get("binlog_snapshot_position")));
                }
            }
            final List<TableRow> rows = new ArrayList<>();
            for (final String table : tables.stream().sorted().toList()) {
                try (ResultSet result = statement.executeQuery("SELECT * FROM `" + table + "`")) {
                    final ResultSetMetaData meta = result.getMetaData();
                    while (result.next()) {
                        final Map<String, Object> columns = new HashMap<>();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            columns.put(meta.getColumnName(i), value(result, i, meta.getColumnType(i)));
                        }
                        rows.add(new TableRow(table, columns));
                    }
                }
            }
            connection.commit();
            return new TableSnapshot(position, rows);
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot take a snapshot of " + tables + " in " + database.safeUrl(), e);
        }
    }

    /** MariaDB and MySQL up to 8.3 answer SHOW MASTER STATUS; MySQL 8.4 only SHOW BINARY LOG STATUS. */
    private static BinlogPosition masterStatus(final Statement statement) throws SQLException {
        try {
            return masterStatus(statement, "SHOW MASTER STATUS");
        } catch (final java.sql.SQLSyntaxErrorException e) {
            return masterStatus(statement, "SHOW BINARY LOG STATUS");
        }
    }

    private static BinlogPosition masterStatus(final Statement statement, final String query) throws SQLException {
        try (ResultSet status = statement.executeQuery(query)) {
            if (!status.next()) {
                throw new IllegalStateException("the database's binary log is off: start it with log-bin, "
                        + "binlog-format=ROW and binlog-row-image=FULL for the change capture");
            }
            return new BinlogPosition(status.getString(1), status.getLong(2));
        }
    }

    /** As the binary log gives them: text as is, times as UTC epoch milliseconds. */
    private static Object value(final ResultSet result, final int column, final int type) throws SQLException {
        return switch (type) {
            case java.sql.Types.TIMESTAMP, java.sql.Types.TIMESTAMP_WITH_TIMEZONE -> {
                final LocalDateTime time = result.getObject(column, LocalDateTime.class);
                yield time == null ? null : time.toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            default -> result.getObject(column);
        };
    }
}
