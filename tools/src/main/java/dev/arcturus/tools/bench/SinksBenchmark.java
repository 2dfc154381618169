package dev.arcturus.tools.bench;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.arcturus.avro.ProbeOutcome;
import dev.arcturus.avro.ProbeSample;
import dev.arcturus.avro.RegionProbe;
import dev.arcturus.avro.RunState;
import dev.arcturus.avro.RunStatus;
import dev.arcturus.avro.SystemInfo;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.launcher.sinks.MongoOptions;
import dev.arcturus.launcher.sinks.MySqlOptions;
import dev.arcturus.serde.AvroSerdes;
import dev.arcturus.sinks.delivery.SinkRunner;
import dev.arcturus.sinks.delivery.SinkSettings;
import dev.arcturus.sinks.mongo.MongoSink;
import dev.arcturus.sinks.mongo.MongoSinkConfig;
import dev.arcturus.sinks.mongo.MongoTopics;
import dev.arcturus.sinks.mysql.MySqlSink;
import dev.arcturus.sinks.mysql.MySqlTopics;
import dev.arcturus.tools.fleet.SyntheticFleet;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code arcturus bench sinks}: how fast the sinks drain a backlog. System-info and probe records (half each) are
 * produced first; then the MySQL sink starts and the clock runs until every row is committed. The same for run
 * documents into MongoDB (a real one with {@code --mongo-uri}, else mongo-java-server in memory). Ends with
 * {@code RESULT sinks mysql_rows_per_s=<n> mongo_docs_per_s=<n>}.
 */
@Command(name = "sinks", mixinStandardHelpOptions = true,
        description = "Backlog drain rate of the MySQL and MongoDB sinks (needs --jdbc-url to a MySQL/MariaDB).")
public final class SinksBenchmark implements Callable<Integer> {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final Duration PATIENCE = Duration.ofMinutes(10);

    @Option(names = "--rows", defaultValue = "200000", description = "Telemetry records for MySQL (default ${DEFAULT-VALUE}).")
    private int rows;
    @Option(names = "--documents", defaultValue = "100000", description = "Run documents for MongoDB (default ${DEFAULT-VALUE}).")
    private int documents;
    @Option(names = "--batch", defaultValue = "5000", description = "Records per sink transaction (default ${DEFAULT-VALUE}).")
    private int batch;
    @Mixin
    private MySqlOptions mysql;
    @Mixin
    private MongoOptions mongo;

    @Override
    public Integer call() throws Exception {
        if (!mysql.isConfigured()) {
            throw new IllegalArgumentException("bench sinks needs a MySQL/MariaDB: --jdbc-url jdbc:mysql://host:port/db "
                    + "with ARCTURUS_MYSQL_PASSWORD set (./arcturus test prepares one; see docs/benchmarks.md)");
        }
        final String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        try (BenchPlane plane = BenchPlane.start(false)) {
            final double rowsPerSecond = mysqlRate(plane, run);
            final double docsPerSecond = mongoRate(plane, run);
            System.out.printf("RESULT sinks mysql_rows_per_s=%d mongo_docs_per_s=%d%n", Math.round(rowsPerSecond),
                    Math.round(docsPerSecond));
        }
        return 0;
    }

    private double mysqlRate(final BenchPlane plane, final String run) throws Exception {
        try (KafkaProducer<String, SpecificRecord> producer = producer(plane)) {
            final Instant start = Instant.now();
            for (int i = 0; i < rows / 2; i++) {
                final String node = run + "-node-" + (i % 1_000);
                send(producer, TopicCatalog.NODE_SYSTEM_INFO, node, systemInfo(node, start.plusMillis(i)));
                send(producer, TopicCatalog.REGION_PROBE, node, probe(node, start.plusMillis(i)));
            }
            producer.flush();
        }
        final double rate;
        try (MySqlSink sink = MySqlSink.start(settings(plane, run + "-mysql"), mysql.config(), MySqlTopics.catalogue())) {
            rate = drainRate("mysql", "rows (system_info + region_probe_info)", sink.runner(), rows);
        }
        deleteBenchRows(run);
        return rate;
    }

    private double mongoRate(final BenchPlane plane, final String run) throws Exception {
        try (KafkaProducer<String, SpecificRecord> producer = producer(plane)) {
            for (int i = 0; i < documents; i++) {
                final String runId = run + "-run-" + i;
                send(producer, TopicCatalog.RUN_STATE, runId, runState(runId, run));
            }
            producer.flush();
        }
        MongoServer inMemory = null;
        final MongoSinkConfig config;
        if (mongo.isConfigured()) {
            config = mongo.config();
        } else {
            inMemory = new MongoServer(new MemoryBackend());
            inMemory.bind("127.0.0.1", 0);
            config = new MongoSinkConfig("mongodb://127.0.0.1:" + inMemory.getLocalAddress().getPort(), "leotest");
        }
        try {
            System.out.printf("mongo target: %s%n", inMemory == null ? config : "mongo-java-server in memory");
            try (MongoSink sink = MongoSink.start(settings(plane, run + "-mongo"), config, MongoTopics.catalogue())) {
                return drainRate("mongo", "run documents", sink.runner(), documents);
            }
        } finally {
            if (inMemory != null) {
                inMemory.shutdownNow();
            }
        }
    }

    private SinkSettings settings(final BenchPlane plane, final String name) {
        return new SinkSettings(name, plane.endpoints(), batch, SinkSettings.DEFAULT_RETRY_INITIAL,
                SinkSettings.DEFAULT_RETRY_MAX);
    }

    /**
     * Records per second from the first committed batch to the last. Start-up (pool, migration, joining the consumer
     * group) is printed separately: it is paid once, not per record.
     */
    private static double drainRate(final String sink, final String what, final SinkRunner runner, final long expected)
            throws InterruptedException {
        final long started = System.nanoTime();
        final long deadline = started + PATIENCE.toNanos();
        long firstBatchAt = 0;
        long firstBatchSize = 0;
        while (runner.storedRecords() < expected) {
            if (firstBatchAt == 0 && runner.storedRecords() > 0) {
                firstBatchAt = System.nanoTime();
                firstBatchSize = runner.storedRecords();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(sink + ": only " + runner.storedRecords() + " of " + expected
                        + " records stored within " + PATIENCE);
            }
            Thread.sleep(5);
        }
        final long finished = System.nanoTime();
        final double drainSeconds = (finished - firstBatchAt) / 1e9;
        final double rate = (expected - firstBatchSize) / drainSeconds;
        System.out.printf("%s: %d %s; start-up to first commit %.1f s, then %.1f s for the rest: %.0f/s "
                + "(%.0f/s including start-up)%n", sink, expected, what, (firstBatchAt - started) / 1e9, drainSeconds,
                rate, expected / ((finished - started) / 1e9));
        return rate;
    }

    private void deleteBenchRows(final String run) throws Exception {
        final var config = mysql.config();
        try (Connection connection = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
             PreparedStatement samples = connection.prepareStatement("DELETE FROM system_info WHERE node_id LIKE ?");
             PreparedStatement probes = connection.prepareStatement(
                     "DELETE FROM region_probe_info WHERE source_node_id LIKE ?")) {
            samples.setString(1, run + "%");
            samples.executeUpdate();
            probes.setString(1, run + "%");
            probes.executeUpdate();
        }
    }

    /** One producer for every topic: each record is written with its own topic's registered schema. */
    private static KafkaProducer<String, SpecificRecord> producer(final BenchPlane plane) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrap(),
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                new StringSerializer(), AvroSerdes.anyRecord(plane.registry()));
    }

    private static <V extends SpecificRecord> void send(final KafkaProducer<String, SpecificRecord> producer,
                                                        final Topic<V> topic, final String key, final V value) {
        producer.send(new ProducerRecord<>(topic.name(), key, value));
    }

    private static SystemInfo systemInfo(final String node, final Instant at) {
        return SyntheticFleet.systemInfo("bench", node, at, 37.5);
    }

    private static RegionProbe probe(final String node, final Instant at) {
        return RegionProbe.newBuilder().setMetadata(EventMetadatas.newMetadata("bench", CLOCK)).setSourceNodeId(node)
                .setSourceIp("10.1.2.3").setSourceRegion("eu-west").setTargetNodeId("peer").setTargetIp("10.9.8.7")
                .setTargetRegion("us-east").setTargetPort(443).setProbeTime(at)
                .setSamples(List.of(new ProbeSample(ProbeOutcome.CONNECTED, 41_000L),
                        new ProbeSample(ProbeOutcome.CONNECTED, 40_500L), new ProbeSample(ProbeOutcome.TIMEOUT, null)))
                .build();
    }

    private static RunState runState(final String runId, final String run) {
        final Instant now = Instant.now();
        return RunState.newBuilder().setMetadata(EventMetadatas.newMetadata("bench", CLOCK)).setRunId(runId)
                .setJobId(run + "-job").setNodeId(run + "-node").setOwnerId("bench").setScheduledAt(now)
                .setStatus(RunStatus.COMPLETED).setStatusMessage("exit 0").setStartedAt(now).setEndedAt(now)
                .setLastUpdated(now).setExitCode(0).setArtifactBlob("https://blob.example/" + runId + ".zip")
                .setUpdateCount(4).build();
    }
}
