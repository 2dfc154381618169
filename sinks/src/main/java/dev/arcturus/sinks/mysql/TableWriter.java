package dev.arcturus.sinks.mysql;

import dev.arcturus.sinks.delivery.SinkRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Writes one topic's records into one table, inside the caller's transaction. */
interface TableWriter {

    String topic();

    void write(Connection connection, List<SinkRecord> records) throws SQLException;
}
