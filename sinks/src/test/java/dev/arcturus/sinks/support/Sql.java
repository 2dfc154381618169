package dev.arcturus.sinks.support;

import dev.arcturus.testing.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the test database directly, to compare tables with what was produced. */
public final class Sql {

    private Sql() {
    }

    public static List<Map<String, Object>> rows(final String sql, final Object... params) {
        try (Connection connection = DriverManager.getConnection(TestServices.jdbcUrl(), TestServices.jdbcUser(),
                TestServices.jdbcPassword());
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                final ResultSetMetaData meta = result.getMetaData();
                final List<Map<String, Object>> rows = new ArrayList<>();
                while (result.next()) {
                    final Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.put(meta.getColumnLabel(c), result.getObject(c));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (final SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    public static long count(final String sql, final Object... params) {
        return ((Number) rows(sql, params).get(0).values().iterator().next()).longValue();
    }
}
