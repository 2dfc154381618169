package dev.arcturus.sinks.mysql;

import dev.arcturus.sinks.delivery.SinkRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A table of samples: each record appends one row. The insert is keyed by the record's event id with
 * {@code ON DUPLICATE KEY UPDATE event_id = event_id}, so a replayed record leaves the table unchanged (unlike
 * {@code INSERT IGNORE}, which would also swallow genuine data errors).
 */
final class AppendTable<V> implements TableWriter {
    private static final Logger log = LoggerFactory.getLogger(AppendTable.class);

    private final String topic;
    private final Class<V> valueClass;
    private final String insertSql;
    private final RowBinder<V> binder;

    AppendTable(final String topic, final Class<V> valueClass, final String insertSql, final RowBinder<V> binder) {
        this.topic = topic;
        this.valueClass = valueClass;
        this.insertSql = insertSql;
        this.binder = binder;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public void write(final Connection connection, final List<SinkRecord> records) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
            int rows = 0;
            for (final SinkRecord record : records) {
                if (record.isTombstone()) {
                    log.debug("Ignoring a tombstone on event topic {} (key {})", record.coordinates(), record.key());
                    continue;
                }
                binder.bind(insert, record.key(), valueClass.cast(record.value()));
                insert.addBatch();
                rows++;
            }
            if (rows > 0) {
                insert.executeBatch();
            }
        }
    }
}
