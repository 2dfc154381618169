package dev.arcturus.sinks.mysql;

import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.sinks.delivery.SinkRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * node_region, one row per registered node, under the seed's own constraint that an ip appears once. A registration
 * updates its node's row; failing that it takes over a row an operator inserted for the same ip (node_id still empty,
 * which is how the change capture's registration of that row comes back); failing that it inserts. A node whose ip
 * another node's row already holds (two nodes behind one NAT) keeps no row of its own: the sink never deletes or
 * rewrites another node's row, because the change capture would read that as an operator's change.
 */
final class NodeRegionTable implements TableWriter {
    private static final Logger log = LoggerFactory.getLogger(NodeRegionTable.class);
    /** MySQL/MariaDB's ER_DUP_ENTRY. */
    private static final int DUPLICATE_KEY = 1062;
    private static final String COLUMNS = "ip = ?, region = ?, hostname = ?, description = ?, role = ?, created_at = ?";

    private final String topic;

    NodeRegionTable(final String topic) {
        this.topic = topic;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public void write(final Connection connection, final List<SinkRecord> records) throws SQLException {
        final Map<String, SinkRecord> lastByKey = UpsertTable.lastByKey(records);
        try (PreparedStatement update = connection.prepareStatement(
                     "UPDATE node_region SET " + COLUMNS + " WHERE node_id = ?");
             PreparedStatement claim = connection.prepareStatement(
                     "UPDATE node_region SET node_id = ?, " + COLUMNS + " WHERE ip = ? AND node_id IS NULL");
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO node_region (node_id, ip, region, hostname, description, role, created_at) "
                             + "VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement delete = connection.prepareStatement("DELETE FROM node_region WHERE node_id = ?")) {
            for (final SinkRecord record : lastByKey.values()) {
                if (record.isTombstone()) {
                    delete.setString(1, record.key());
                    delete.executeUpdate();
                    continue;
                }
                final NodeRegistration node = (NodeRegistration) record.value();
                if (!ipTakenByAnother(connection, record.key(), node.getIp())) {
                    bind(update, 1, node);
                    update.setString(7, record.key());
                    if (update.executeUpdate() > 0) {
                        continue;
                    }
                    claim.setString(1, record.key());
                    bind(claim, 2, node);
                    claim.setString(8, node.getIp());
                    if (claim.executeUpdate() > 0) {
                        continue;
                    }
                    insert.setString(1, record.key());
                    bind(insert, 2, node);
                    if (inserted(connection, insert)) {
                        continue;
                    }
                }
                log.warn("node_region keeps no row for node {} ({}): ip {} is another node's row (the seed's "
                        + "UNIQUE ip)", record.key(), record.coordinates(), node.getIp());
            }
        }
    }

    /**
     * Inserts, or reports that the ip is taken (a row inserted since the check, by an operator). Any other refusal
     * (a value too long…) is the record's problem and is thrown, to be dead-lettered. The savepoint keeps the batch's
     * transaction usable after a refused insert.
     */
    private static boolean inserted(final Connection connection, final PreparedStatement insert) throws SQLException {
        final java.sql.Savepoint before = connection.setSavepoint();
        try {
            insert.executeUpdate();
            return true;
        } catch (final java.sql.SQLIntegrityConstraintViolationException e) {
            if (e.getErrorCode() != DUPLICATE_KEY) {
                throw e;
            }
            connection.rollback(before);
            return false;
        }
    }

    private static boolean ipTakenByAnother(final Connection connection, final String nodeId, final String ip)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM node_region WHERE ip = ? AND node_id IS NOT NULL AND node_id <> ?")) {
            query.setString(1, ip);
            query.setString(2, nodeId);
            try (var result = query.executeQuery()) {
                return result.next();
            }
        }
    }

    /** ip, region, hostname, description, role, created_at from {@code first}. */
    private static void bind(final PreparedStatement statement, final int first, final NodeRegistration node)
            throws SQLException {
        int i = first;
        statement.setString(i++, node.getIp());
        statement.setString(i++, node.getRegion());
        statement.setString(i++, node.getHostname());
        statement.setString(i++, node.getDescription());
        if (node.getRole() == null || node.getRole() == dev.arcturus.avro.NodeRole.UNKNOWN) {
            statement.setNull(i++, Types.VARCHAR);
        } else {
            statement.setString(i++, node.getRole().name());
        }
        statement.setString(i, ArcturusTables.utc(node.getRegisteredAt()));
    }
}
