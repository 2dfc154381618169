package dev.arcturus.sinks.mysql.capture;

/** An insert ({@code before} null), update or delete ({@code after} null) of one row. */
record RowChange(TableRow before, TableRow after) {
    String table() {
        return after != null ? after.table() : before.table();
    }
}
