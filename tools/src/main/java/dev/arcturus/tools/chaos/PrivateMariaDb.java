package dev.arcturus.tools.chaos;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB server of the scenario's own (Debian's {@code mariadbd}, a fresh data directory, a free port on
 * 127.0.0.1), so a scenario can SIGKILL and restart it without touching the machine's shared test database. It runs
 * with {@code --skip-grant-tables}: it lives for one scenario, listens on loopback only, and holds synthetic data.
 */
final class PrivateMariaDb implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String DATABASE = "arcturus_chaos";

    private final Path dir;
    private final int port;
    private Process server;

    private PrivateMariaDb(final Path dir, final int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Initialises a data directory under {@code dir} and starts the server on it. */
    static PrivateMariaDb start(final Path dir) throws IOException, InterruptedException {
        final Process install = new ProcessBuilder(binary("mariadb-install-db"), "--no-defaults",
                "--datadir=" + dir.resolve("data"), "--user=" + System.getProperty("user.name"),
                "--auth-root-authentication-method=normal", "--skip-test-db")
                .redirectErrorStream(true).redirectOutput(dir.resolve("install.log").toFile()).start();
        if (!install.waitFor(120, TimeUnit.SECONDS) || install.exitValue() != 0) {
            throw new IllegalStateException("mariadb-install-db failed; see " + dir.resolve("install.log"));
        }
        final PrivateMariaDb db = new PrivateMariaDb(dir, freePort());
        db.startServer();
        try (Connection connection = DriverManager.getConnection(db.serverUrl(), "chaos", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot create the scenario's database", e);
        }
        return db;
    }

    /** The JDBC URL of the scenario's database. */
    String jdbcUrl() {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** Stops the server as a crash would: SIGKILL, no shutdown, whatever was in flight is cut off. */
    void kill() throws InterruptedException {
        server.destroyForcibly();
        server.waitFor();
    }

    /** Starts the server again on the same data directory and port (InnoDB recovers from its redo log). */
    void restart() throws IOException {
        startServer();
    }

    /** System-info samples the MySQL sink stored, each counted once (a sample is one event id). */
    long storedSamples() {
        return queryLong("SELECT COUNT(DISTINCT event_id) FROM system_info");
    }

    /** One number from a query ({@code SELECT COUNT(*) ...}). */
    long queryLong(final String sql) {
        return query(sql, result -> {
            result.next();
            return result.getLong(1);
        });
    }

    /** A two-column query as a map from the first column to the second. */
    Map<String, String> queryPairs(final String sql) {
        return query(sql, result -> {
            final Map<String, String> pairs = new HashMap<>();
            while (result.next()) {
                pairs.put(result.getString(1), result.getString(2));
            }
            return pairs;
        });
    }

    private interface ResultReader<T> {
        T read(ResultSet result) throws SQLException;
    }

    /** Runs {@code sql} on a connection of its own (the server may have been restarted since the last one). */
    private <T> T query(final String sql, final ResultReader<T> reader) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), "chaos", "");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            return reader.read(result);
        } catch (final SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    private void startServer() throws IOException {
        server = new ProcessBuilder(List.of(binary("mariadbd"), "--no-defaults", "--datadir=" + dir.resolve("data"),
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mariadb.sock"),
                "--pid-file=" + dir.resolve("mariadb.pid"), "--user=" + System.getProperty("user.name"),
                "--skip-grant-tables", "--innodb-buffer-pool-size=64M",
                // The MySQL sink's change capture reads the row-based binary log.
                "--server-id=1", "--log-bin=" + dir.resolve("data").resolve("chaos-bin"), "--binlog-format=ROW",
                "--binlog-row-image=FULL"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("mariadb.log").toFile())).start();
        final long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            try (Connection ignored = DriverManager.getConnection(serverUrl(), "chaos", "")) {
                return;
            } catch (final SQLException notYet) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("mariadbd did not come up on port " + port + "; see "
                            + dir.resolve("mariadb.log"), notYet);
                }
                sleepBriefly();
            }
        }
    }

    private String serverUrl() {
        return "jdbc:mysql://127.0.0.1:" + port + "/";
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(200);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for mariadbd", e);
        }
    }

    /** Debian puts the server under /usr/sbin, which a non-root PATH may lack. */
    private static String binary(final String name) {
        for (final String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return dir + "/" + name;
            }
        }
        throw new IllegalStateException(name + " is not installed: run `bash ops/test-env/prepare.sh` (Debian's "
                + "mariadb-server) first");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (server != null && server.isAlive()) {
            server.destroy();
            try {
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                server.destroyForcibly();
            }
        }
    }
}
