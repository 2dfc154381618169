package dev.arcturus.sinks.mysql;

import dev.arcturus.sinks.delivery.SinkRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table holding the current state of each entity of a compacted topic: a value upserts the row of its key, a
 * tombstone deletes it. Within a batch only the last record per key matters, so the batch is collapsed first; the
 * remaining upserts and deletes touch distinct keys and can run as two JDBC batches in any order.
 */
final class UpsertTable<V> implements TableWriter {
    private final String topic;
    private final Class<V> valueClass;
    private final String upsertSql;
    private final RowBinder<V> binder;
    private final String deleteSql;

    /**
     * @param upsertSql an {@code INSERT … ON DUPLICATE KEY UPDATE} bound by {@code binder}
     * @param deleteSql a {@code DELETE … WHERE <key column> = ?}
     */
    UpsertTable(final String topic, final Class<V> valueClass, final String upsertSql, final RowBinder<V> binder,
                final String deleteSql) {
        this.topic = topic;
        this.valueClass = valueClass;
        this.upsertSql = upsertSql;
        this.binder = binder;
        this.deleteSql = deleteSql;
    }

    /** Within a batch only each key's last record matters (a state topic's later value replaces the earlier). */
    static Map<String, SinkRecord> lastByKey(final List<SinkRecord> records) {
        final Map<String, SinkRecord> lastByKey = new LinkedHashMap<>();
        for (final SinkRecord record : records) {
            if (record.key() == null) {
                throw new IllegalArgumentException(record.coordinates() + ": a state record needs its entity key");
            }
            lastByKey.put(record.key(), record);
        }
        return lastByKey;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public void write(final Connection connection, final List<SinkRecord> records) throws SQLException {
        final Map<String, SinkRecord> lastByKey = lastByKey(records);
        try (PreparedStatement upsert = connection.prepareStatement(upsertSql);
             PreparedStatement delete = connection.prepareStatement(deleteSql)) {
            int upserts = 0;
            int deletes = 0;
            for (final SinkRecord record : lastByKey.values()) {
                if (record.isTombstone()) {
                    delete.setString(1, record.key());
                    delete.addBatch();
                    deletes++;
                } else {
                    binder.bind(upsert, record.key(), valueClass.cast(record.value()));
                    upsert.addBatch();
                    upserts++;
                }
            }
            if (upserts > 0) {
                upsert.executeBatch();
            }
            if (deletes > 0) {
                delete.executeBatch();
            }
        }
    }
}
