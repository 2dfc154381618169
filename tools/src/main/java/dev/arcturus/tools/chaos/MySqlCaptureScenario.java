package dev.arcturus.tools.chaos;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.sinks.delivery.SinkSettings;
import dev.arcturus.sinks.mysql.MySqlSink;
import dev.arcturus.sinks.mysql.MySqlSinkConfig;
import dev.arcturus.sinks.mysql.MySqlTopics;
import dev.arcturus.topics.TopicCatalog;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arcturus chaos mysql-capture}: an operator writes domain_origin and node_region rows into MySQL while the
 * database is SIGKILLed and restarted under the change capture, and the MySQL sink (capture included) is stopped and
 * started again mid-stream. Every row the database kept must reach the plane exactly once — no row lost, none
 * published twice, and none of the sink's own writes (which come back through the binary log) echoed.
 */
@Command(name = "mysql-capture", mixinStandardHelpOptions = true,
        description = "Operators' MySQL rows flow into the plane through a killed database and a restarted capture.")
public final class MySqlCaptureScenario extends ChaosScenario {
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @Option(names = "--rows", defaultValue = "600", description = "domain_origin rows written (default ${DEFAULT-VALUE}).")
    int rows = 600;
    @Option(names = "--rows-per-s", defaultValue = "20", description = "Write rate (default ${DEFAULT-VALUE}).")
    int rate = 20;
    @Option(names = "--down-for", defaultValue = "PT5S", description = "How long MariaDB stays down (default ${DEFAULT-VALUE}).")
    Duration downFor = Duration.ofSeconds(5);

    private final AtomicInteger written = new AtomicInteger();

    public MySqlCaptureScenario() {
    }

    public MySqlCaptureScenario(final int rows, final int rate, final Duration downFor) {
        this.rows = rows;
        this.rate = rate;
        this.downFor = downFor;
    }

    @Override
    public ChaosReport run() throws Exception {
        try (ChaosPlane plane = ChaosPlane.start();
             PrivateMariaDb db = PrivateMariaDb.start(plane.scratch("mariadb"));
             TopicTail<DomainOrigin> origins = plane.tail(TopicCatalog.DOMAIN_ORIGIN);
             TopicTail<NodeRegistration> nodes = plane.tail(TopicCatalog.NODE_REGISTRATION)) {
            final MySqlSinkConfig config = MySqlSinkConfig.of(db.jdbcUrl(), "chaos", "").withCapture(true);
            final SinkSettings settings = SinkSettings.defaults("chaos-sink-mysql", plane.endpoints());
            MySqlSink sink = MySqlSink.start(settings, config, MySqlTopics.catalogue());
            long downMillis = 0;
            try {
                final Thread operator = new Thread(() -> write(db), "chaos-operator");
                operator.start();
                Waits.until(() -> written.get() >= rows * 3 / 10, PATIENCE);
                System.out.println("SIGKILL MariaDB with " + written.get() + " rows written");
                final long killedAt = System.currentTimeMillis();
                db.kill();
                Thread.sleep(downFor.toMillis());
                db.restart();
                downMillis = System.currentTimeMillis() - killedAt;
                System.out.println("MariaDB restarted after " + downMillis + " ms");
                Waits.until(() -> written.get() >= rows * 6 / 10, PATIENCE);
                System.out.println("Restarting the MySQL sink and its capture with " + written.get() + " rows written");
                sink.close();
                sink = MySqlSink.start(settings, config, MySqlTopics.catalogue());
                operator.join(PATIENCE.toMillis());
                final Map<String, String> kept = db.queryPairs("SELECT domain, origin_ip FROM domain_origin");
                final Map<String, String> keptNodes = db.queryPairs("SELECT ip, region FROM node_region");
                Waits.until(() -> origins.tally(kept.keySet(), DomainOrigin::getDomain).missing() == 0
                        && nodes.tally(keptNodes.keySet(), NodeRegistration::getIp).missing() == 0, PATIENCE);
                Thread.sleep(3_000); // anything echoed or repeated would show by now
                final TopicTail.Tally originTally = origins.tally(kept.keySet(), DomainOrigin::getDomain);
                final TopicTail.Tally nodeTally = nodes.tally(keptNodes.keySet(), NodeRegistration::getIp);
                final Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("rows", kept.size() + keptNodes.size());
                figures.put("origins", kept.size());
                figures.put("nodes", keptNodes.size());
                figures.put("down_s", downMillis / 1e3);
                figures.put("capture_restarts", 1);
                figures.put("dead_letters", sink.runner().deadLetteredRecords());
                return new ChaosReport("mysql-capture", originTally.missing() + nodeTally.missing(),
                        originTally.repeated() + nodeTally.repeated(), figures);
            } finally {
                sink.close();
            }
        }
    }

    /**
     * One row per transaction at the given rate: a domain origin each, and every tenth a node. A write that fails
     * (the database is down) is retried until it succeeds; a retried insert that had in fact committed changes
     * nothing, so every row the database keeps was written once.
     */
    private void write(final PrivateMariaDb db) {
        final long pauseMillis = Math.max(1, 1000L / rate);
        for (int i = 0; i < rows; i++) {
            while (true) {
                try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), "chaos", "")) {
                    try (PreparedStatement origin = connection.prepareStatement("INSERT INTO domain_origin (domain, "
                            + "origin_ip) VALUES (?, ?) ON DUPLICATE KEY UPDATE origin_ip = VALUES(origin_ip)")) {
                        origin.setString(1, "d" + i + ".chaos.example");
                        origin.setString(2, "10." + (i / 256) + "." + (i % 256) + ".1");
                        origin.executeUpdate();
                    }
                    if (i % 10 == 0) {
                        try (PreparedStatement node = connection.prepareStatement("INSERT INTO node_region (ip, "
                                + "region, hostname) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE region = VALUES(region)")) {
                            node.setString(1, "10.250." + (i / 256) + "." + (i % 256));
                            node.setString(2, "R" + i % 7);
                            node.setString(3, "chaos-node-" + i);
                            node.executeUpdate();
                        }
                    }
                    break;
                } catch (final SQLException down) {
                    sleep(200);
                }
            }
            written.incrementAndGet();
            sleep(pauseMillis);
        }
    }

    private static void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
