package dev.arcturus.sinks.mysql;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Sets a statement's parameters from one record's key and value. */
@FunctionalInterface
interface RowBinder<V> {
    void bind(PreparedStatement statement, String key, V value) throws SQLException;
}
