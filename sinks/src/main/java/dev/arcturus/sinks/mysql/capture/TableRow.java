package dev.arcturus.sinks.mysql.capture;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** One row image from the binary log, by column name (strings decoded as UTF-8, times as UTC instants). */
record TableRow(String table, Map<String, Object> columns) {
    String text(final String column) {
        final Object value = columns.get(column);
        if (value == null) {
            return null;
        }
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
    }

    Integer integer(final String column) {
        final Object value = columns.get(column);
        return value == null ? null : ((Number) value).intValue();
    }

    /** DATETIME and TIMESTAMP columns, read as milliseconds since the epoch (DATETIME taken as UTC, as we write it). */
    Instant instant(final String column) {
        final Object value = columns.get(column);
        return value == null ? null : Instant.ofEpochMilli(((Number) value).longValue());
    }
}
