package dev.arcturus.sinks.mysql.capture;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Column names by position: a row event carries values only. Read from information_schema when a table is first
 * seen, and again after any DDL in the log or when a row's width does not match.
 */
final class TableColumns {
    private final DatabaseSettings database;
    private final Map<String, List<String>> byTable = new ConcurrentHashMap<>();

    TableColumns(final DatabaseSettings database) {
        this.database = database;
    }

    List<String> of(final String table, final int width) {
        List<String> names = byTable.get(table);
        if (names == null || names.size() != width) {
            names = read(table);
            byTable.put(table, names);
        }
        if (names.size() != width) {
            throw new IllegalStateException(table + " has " + names.size() + " columns now, its row in the binary log "
                    + width + " (changed since)");
        }
        return names;
    }

    void forget() {
        byTable.clear();
    }

    private List<String> read(final String table) {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
                database.password());
             PreparedStatement query = connection.prepareStatement("SELECT COLUMN_NAME FROM information_schema.COLUMNS "
                     + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            query.setString(1, database.name());
            query.setString(2, table);
            final List<String> names = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    names.add(result.getString(1));
                }
            }
            return List.copyOf(names);
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot read the columns of " + database.name() + "." + table, e);
        }
    }
}
