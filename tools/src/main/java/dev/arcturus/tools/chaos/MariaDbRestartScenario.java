package dev.arcturus.tools.chaos;

import dev.arcturus.sinks.delivery.SinkSettings;
import dev.arcturus.sinks.mysql.MySqlSink;
import dev.arcturus.sinks.mysql.MySqlSinkConfig;
import dev.arcturus.sinks.mysql.MySqlTopics;
import dev.arcturus.topics.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arcturus chaos mariadb-restart}: the MySQL sink writes system info (appended rows) and node registrations
 * (upserted rows) while its MariaDB is SIGKILLed, kept down, and restarted. The sink must wait the outage out and
 * catch up: every sample stored exactly once, every node's row showing its latest registration, nothing
 * dead-lettered.
 */
@Command(name = "mariadb-restart", mixinStandardHelpOptions = true,
        description = "SIGKILL the MySQL sink's MariaDB mid-stream, restart it, check the sink catches up.")
public final class MariaDbRestartScenario extends ChaosScenario {
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration CATCH_UP_PATIENCE = Duration.ofMinutes(3);
    private static final int REGIONS = 7;

    @Option(names = "--nodes", defaultValue = "2000", description = "Nodes reporting each second (default ${DEFAULT-VALUE}).")
    int nodes = 2_000;
    @Option(names = "--load-for", defaultValue = "PT60S", description = "How long the load runs (default ${DEFAULT-VALUE}).")
    Duration loadFor = Duration.ofSeconds(60);
    @Option(names = "--down-for", defaultValue = "PT10S", description = "How long MariaDB stays down (default ${DEFAULT-VALUE}).")
    Duration downFor = Duration.ofSeconds(10);

    private final AtomicLong samplesSent = new AtomicLong();
    private final Map<String, String> latestRegion = new ConcurrentHashMap<>();

    public MariaDbRestartScenario() {
    }

    public MariaDbRestartScenario(final int nodes, final Duration loadFor, final Duration downFor) {
        this.nodes = nodes;
        this.loadFor = loadFor;
        this.downFor = downFor;
    }

    @Override
    public ChaosReport run() throws Exception {
        try (ChaosPlane plane = ChaosPlane.start();
             PrivateMariaDb db = PrivateMariaDb.start(plane.scratch("mariadb"));
             KafkaProducer<String, SpecificRecord> producer = plane.producer();
             MySqlSink sink = MySqlSink.start(SinkSettings.defaults("chaos-sink-mysql", plane.endpoints()),
                     MySqlSinkConfig.of(db.jdbcUrl(), "chaos", ""), MySqlTopics.catalogue())) {
            final long killedAt;
            final long restartedAt;
            final long backlogClearedAt;
            try (Ticker load = new Ticker("chaos-mysql-load", TICK, tick -> sendTick(producer, tick))) {
                Thread.sleep(loadFor.toMillis() * 3 / 10);
                System.out.println("SIGKILL MariaDB with " + samplesSent.get() + " samples sent");
                db.kill();
                killedAt = System.currentTimeMillis();
                Thread.sleep(downFor.toMillis());
                db.restart();
                restartedAt = System.currentTimeMillis();
                System.out.println("MariaDB restarted after " + (restartedAt - killedAt) + " ms");
                // The backlog is what was sent before the restart; the sink has caught up once all of it is stored.
                final long backlog = samplesSent.get();
                Waits.until(() -> samplesSent.get() - missingSamples(db) >= backlog, CATCH_UP_PATIENCE);
                backlogClearedAt = System.currentTimeMillis();
                Thread.sleep(Math.max(0, loadFor.toMillis() * 7 / 10 - (backlogClearedAt - killedAt)));
            }
            producer.flush();
            Waits.until(() -> missingSamples(db) == 0 && regionMismatches(db) == 0, CATCH_UP_PATIENCE);
            return report(db, sink, killedAt, restartedAt, backlogClearedAt);
        }
    }

    /** Each node's system info every tick; a new registration (another region) for a tenth of the nodes. */
    private void sendTick(final KafkaProducer<String, SpecificRecord> producer, final long tick) {
        for (int i = 0; i < nodes; i++) {
            final String node = "node-" + i;
            producer.send(new ProducerRecord<>(TopicCatalog.NODE_SYSTEM_INFO.name(), node,
                    ChaosRecords.systemInfo(node, Instant.now(), 20 + tick % 50)));
            samplesSent.incrementAndGet();
            if (tick == 0 || i % 10 == tick % 10) {
                final String region = "R" + (tick + i) % REGIONS;
                producer.send(new ProducerRecord<>(TopicCatalog.NODE_REGISTRATION.name(), node,
                        ChaosRecords.registration(node, region)));
                latestRegion.put(node, region);
            }
        }
    }

    private long missingSamples(final PrivateMariaDb db) {
        return samplesSent.get() - db.storedSamples();
    }

    private long regionMismatches(final PrivateMariaDb db) {
        final Map<String, String> stored = db.queryPairs("SELECT node_id, region FROM node_region");
        return latestRegion.entrySet().stream().filter(e -> !e.getValue().equals(stored.get(e.getKey()))).count();
    }

    private ChaosReport report(final PrivateMariaDb db, final MySqlSink sink, final long killedAt,
                               final long restartedAt, final long backlogClearedAt) {
        final long rows = db.queryLong("SELECT COUNT(*) FROM system_info");
        final long distinct = db.storedSamples();
        final long mismatches = regionMismatches(db);
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("samples_sent", samplesSent.get());
        figures.put("samples_stored", distinct);
        figures.put("region_mismatches", mismatches);
        figures.put("dead_letters", sink.runner().deadLetteredRecords());
        figures.put("down_s", (restartedAt - killedAt) / 1e3);
        figures.put("caught_up_after_restart_s", (backlogClearedAt - restartedAt) / 1e3);
        figures.put("nodes", nodes);
        return new ChaosReport("mariadb-restart", samplesSent.get() - distinct + mismatches, rows - distinct, figures);
    }
}
