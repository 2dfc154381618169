package dev.arcturus.sinks.mysql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.arcturus.sinks.delivery.SinkRecord;
import dev.arcturus.sinks.delivery.SinkWriter;
import dev.arcturus.topics.Topic;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Writes a batch of records from the plane's topics into the seed's tables in one transaction. The pool is
 * HikariCP; the schema is migrated with Flyway before the first write.
 */
public final class MySqlWriter implements SinkWriter {
    private final HikariDataSource pool;
    private final MySqlTopics topics;
    private final Map<String, TableWriter> tablesByTopic = new LinkedHashMap<>();

    private MySqlWriter(final HikariDataSource pool, final MySqlTopics topics) {
        this.pool = pool;
        this.topics = topics;
        for (final TableWriter table : ArcturusTables.forTopics(topics)) {
            tablesByTopic.put(table.topic(), table);
        }
    }

    /** Opens the pool and migrates the schema (fails fast if the database is unreachable at start). */
    public static MySqlWriter open(final MySqlSinkConfig config, final MySqlTopics topics) {
        final HikariDataSource pool = pool(config);
        try {
            migrate(pool);
            return new MySqlWriter(pool, topics);
        } catch (final RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    static HikariDataSource pool(final MySqlSinkConfig config) {
        final HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("arcturus-mysql-sink");
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(2); // one writer thread plus the retention job
        hikari.setAutoCommit(false);
        // Fail a write within seconds when the database is gone, so the sink backs off instead of hanging.
        hikari.setConnectionTimeout(5_000);
        hikari.setValidationTimeout(2_000);
        hikari.addDataSourceProperty("rewriteBatchedStatements", "true");
        hikari.addDataSourceProperty("connectTimeout", "5000");
        hikari.addDataSourceProperty("socketTimeout", "60000");
        hikari.addDataSourceProperty("cachePrepStmts", "true");
        hikari.addDataSourceProperty("useServerPrepStmts", "false");
        // Lets the pool start while the database is still down; the first write then waits and retries.
        hikari.setInitializationFailTimeout(-1);
        return new HikariDataSource(hikari);
    }

    static void migrate(final DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/mysql")
                .table("arcturus_schema_history").load().migrate();
    }

    /**
     * Creates (or brings up to date) the seed's five tables, as the sink does before its first write: seed 000's
     * "initialise the tables before starting" for an operator who loads {@code init_nodes.sql} first. Returns the
     * schema version reached.
     */
    public static String initialise(final MySqlSinkConfig config) {
        try (HikariDataSource pool = pool(config)) {
            migrate(pool);
            final var current = Flyway.configure().dataSource(pool).locations("classpath:db/migration/mysql")
                    .table("arcturus_schema_history").load().info().current();
            return current == null ? "none" : current.getVersion().getVersion();
        }
    }

    DataSource dataSource() {
        return pool;
    }

    @Override
    public List<Topic<?>> topics() {
        return topics.all();
    }

    @Override
    public void write(final List<SinkRecord> batch) throws SQLException {
        final Map<String, List<SinkRecord>> byTopic = batch.stream().collect(Collectors.groupingBy(SinkRecord::topic,
                LinkedHashMap::new, Collectors.toCollection(ArrayList::new)));
        try (Connection connection = pool.getConnection()) {
            try {
                for (final Map.Entry<String, List<SinkRecord>> entry : byTopic.entrySet()) {
                    tablesByTopic.get(entry.getKey()).write(connection, entry.getValue());
                }
                connection.commit();
            } catch (final SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private static void rollbackQuietly(final Connection connection, final Exception cause) {
        try {
            connection.rollback();
        } catch (final SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    /**
     * SQL state class 22 (data exception: too long, out of range) and 23 (integrity constraint) mean the record
     * itself cannot be stored; so does a failure while binding it. Everything else (connection lost, pool timeout,
     * deadlock) is the database's condition and worth retrying.
     */
    @Override
    public boolean isRecordProblem(final Exception failure) {
        if (!(failure instanceof SQLException)) {
            return failure instanceof RuntimeException;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        pool.close();
    }
}
