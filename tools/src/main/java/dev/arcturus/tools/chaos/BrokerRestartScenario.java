package dev.arcturus.tools.chaos;

import static dev.arcturus.tools.fleet.SyntheticFleet.nodeId;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.arcturus.apps.PlaneApps;
import dev.arcturus.avro.LivenessState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.avro.RunState;
import dev.arcturus.sinks.delivery.SinkSettings;
import dev.arcturus.sinks.mongo.MongoSink;
import dev.arcturus.sinks.mongo.MongoSinkConfig;
import dev.arcturus.sinks.mongo.MongoTopics;
import dev.arcturus.sinks.mongo.Publishers;
import dev.arcturus.sinks.mysql.MySqlSink;
import dev.arcturus.sinks.mysql.MySqlSinkConfig;
import dev.arcturus.sinks.mysql.MySqlTopics;
import dev.arcturus.topics.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arcturus chaos broker-restart}: nodes heartbeat and report system info, runs move through their five statuses,
 * the run-state and liveness apps run in their own JVM, and the MySQL and MongoDB sinks write; then the broker is
 * stopped and started again mid-stream. Every run must end COMPLETED having applied all five of its updates (none
 * lost), each state change must be published once (none duplicated), and both databases must converge on the topics.
 */
@Command(name = "broker-restart", mixinStandardHelpOptions = true,
        description = "Restart the broker during heartbeats, run updates and sink writes; check nothing is lost.")
public final class BrokerRestartScenario extends ChaosScenario {
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration CONVERGE_PATIENCE = Duration.ofMinutes(3);
    private static final Duration MONGO_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--nodes", defaultValue = "1000", description = "Nodes heartbeating each second (default ${DEFAULT-VALUE}).")
    int nodes = 1_000;
    @Option(names = "--runs-per-s", defaultValue = "40", description = "Runs started each second (default ${DEFAULT-VALUE}).")
    int runsPerSecond = 40;
    @Option(names = "--load-for", defaultValue = "PT60S", description = "How long runs keep starting (default ${DEFAULT-VALUE}).")
    Duration loadFor = Duration.ofSeconds(60);
    @Option(names = "--down-for", defaultValue = "PT5S", description = "How long the broker stays down (default ${DEFAULT-VALUE}).")
    Duration downFor = Duration.ofSeconds(5);

    private final AtomicLong samplesSent = new AtomicLong();
    private RunCohorts runs;

    public BrokerRestartScenario() {
    }

    public BrokerRestartScenario(final int nodes, final int runsPerSecond, final Duration loadFor,
                                 final Duration downFor) {
        this.nodes = nodes;
        this.runsPerSecond = runsPerSecond;
        this.loadFor = loadFor;
        this.downFor = downFor;
    }

    @Override
    public ChaosReport run() throws Exception {
        final MongoServer mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        final String mongoUri = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort();
        try (ChaosPlane plane = ChaosPlane.start();
             PrivateMariaDb db = PrivateMariaDb.start(plane.scratch("mariadb"));
             MongoClient mongoReader = MongoClients.create(mongoUri);
             KafkaProducer<String, SpecificRecord> producer = plane.producer();
             TopicTail<RunState> runStates = plane.tail(TopicCatalog.RUN_STATE);
             TopicTail<NodeLiveness> liveness = plane.tail(TopicCatalog.NODE_LIVENESS);
             ChildJvm apps = StreamsProcess.start(plane, "apps",
                     List.of(PlaneApps.RUNS.shortName(), PlaneApps.LIVENESS.shortName()));
             MySqlSink mysql = MySqlSink.start(SinkSettings.defaults("chaos-sink-mysql", plane.endpoints()),
                     MySqlSinkConfig.of(db.jdbcUrl(), "chaos", ""), MySqlTopics.catalogue());
             MongoSink mongoSink = MongoSink.start(SinkSettings.defaults("chaos-sink-mongo", plane.endpoints()),
                     new MongoSinkConfig(mongoUri, "leotest"), MongoTopics.catalogue())) {
            ChaosRecords.registerFleet(producer, nodes);
            runs = new RunCohorts(cohort -> cohort * runsPerSecond, nodes);
            final Convergence convergence = new Convergence(runStates, db, mongoReader);
            final long downAt;
            final long restartedAt;
            final long backlogClearedAt;
            try (Ticker load = new Ticker("chaos-broker-load", TICK, tick -> sendTick(producer, tick))) {
                Thread.sleep(loadFor.toMillis() * 4 / 10);
                System.out.println("restarting the broker with " + runs.updatesSent() + " run updates sent");
                downAt = System.currentTimeMillis();
                plane.restartBroker(downFor);
                restartedAt = System.currentTimeMillis();
                System.out.println("broker back after " + (restartedAt - downAt) + " ms");
                // Caught up once every run update and sample sent before the broker came back is applied and stored
                // (each update is a valid step, so it changes its run's state exactly once).
                final long updatesBefore = runs.updatesSent();
                final long samplesBefore = samplesSent.get();
                Waits.until(() -> runStates.count(s -> s.value() != null) >= updatesBefore
                        && convergence.storedSamples() >= samplesBefore, CONVERGE_PATIENCE);
                backlogClearedAt = System.currentTimeMillis();
                Thread.sleep(Math.max(0, loadFor.toMillis() * 6 / 10 - (backlogClearedAt - downAt)));
                runs.stopStarting();
                // Let the last runs started finish their lives.
                Thread.sleep(RunCohorts.LIFE.size() * TICK.toMillis());
            }
            producer.flush();
            final long loadEndedAt = System.currentTimeMillis();
            final boolean converged = Waits.until(convergence::reached, CONVERGE_PATIENCE);
            final Map<String, Object> timings = new LinkedHashMap<>();
            timings.put("broker_down_s", (restartedAt - downAt) / 1e3);
            timings.put("caught_up_after_restart_s", (backlogClearedAt - restartedAt) / 1e3);
            timings.put("converged_after_load_s", converged ? (System.currentTimeMillis() - loadEndedAt) / 1e3 : -1.0);
            return report(runStates, liveness, convergence, timings, restartedAt);
        } finally {
            mongo.shutdownNow();
        }
    }

    /**
     * One second of load: every node's heartbeat, a fifth of the nodes' system info, a new cohort of runs, and the next
     * status of each run in flight.
     */
    private void sendTick(final KafkaProducer<String, SpecificRecord> producer, final long tick) {
        for (int i = 0; i < nodes; i++) {
            producer.send(new ProducerRecord<>(TopicCatalog.NODE_HEARTBEAT.name(), nodeId(i),
                    ChaosRecords.heartbeat(nodeId(i), tick, TICK)));
            if (i % 5 == tick % 5) {
                producer.send(new ProducerRecord<>(TopicCatalog.NODE_SYSTEM_INFO.name(), nodeId(i),
                        ChaosRecords.systemInfo(nodeId(i), Instant.now(), 30)));
                samplesSent.incrementAndGet();
            }
        }
        runs.sendTick(producer, tick);
    }

    /** What the topics and both databases say, polled until they agree with what was sent. */
    private final class Convergence {
        private final TopicTail<RunState> runStates;
        private final PrivateMariaDb db;
        private final MongoClient mongo;

        Convergence(final TopicTail<RunState> runStates, final PrivateMariaDb db, final MongoClient mongo) {
            this.runStates = runStates;
            this.db = db;
            this.mongo = mongo;
        }

        boolean reached() {
            return RunCohorts.completed(runStates) == runs.runsStarted() && storedSamples() == samplesSent.get()
                    && completedRunDocuments() == runs.runsStarted() && registeredNodes() == nodes;
        }

        long storedSamples() {
            return db.storedSamples();
        }

        long registeredNodes() {
            return db.queryLong("SELECT COUNT(*) FROM node_region");
        }

        long completedRunDocuments() {
            return Publishers.await(mongo.getDatabase("leotest").getCollection("runs").countDocuments(Filters.and(
                    Filters.eq("status", "completed"), Filters.eq("update_count", RunCohorts.LIFE.size()))), MONGO_TIMEOUT).get(0);
        }

        long runDocuments() {
            return Publishers.await(mongo.getDatabase("leotest").getCollection("runs", Document.class)
                    .countDocuments(), MONGO_TIMEOUT).get(0);
        }
    }

    private ChaosReport report(final TopicTail<RunState> runStates, final TopicTail<NodeLiveness> liveness,
                               final Convergence converged, final Map<String, Object> timings,
                               final long restartedAt) {
        // Each update is a valid step, so each (run, update count) state change must be published exactly once.
        final long duplicatedChanges = runStates.tally(List.of(), s -> s.getRunId() + "#" + s.getUpdateCount())
                .repeated();
        final Map<String, RunState> latest = runStates.latestByKey();
        final long lostUpdates = latest.values().stream().mapToLong(s -> RunCohorts.LIFE.size() - s.getUpdateCount()).sum()
                + (runs.runsStarted() - latest.size()) * RunCohorts.LIFE.size();
        final long lostSamples = samplesSent.get() - converged.storedSamples();
        final long missingDocuments = runs.runsStarted() - converged.completedRunDocuments();
        final long extraDocuments = converged.runDocuments() - runs.runsStarted();
        final long downAfterRestart = liveness.count(s -> s.value() != null && s.seenAtMillis() >= restartedAt
                && s.value().getState() == LivenessState.DOWN);
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("runs", runs.runsStarted());
        figures.put("run_updates", runs.updatesSent());
        figures.put("lost_run_updates", lostUpdates);
        figures.put("duplicated_state_changes", duplicatedChanges);
        figures.put("samples_sent", samplesSent.get());
        figures.put("mysql_samples_missing", lostSamples);
        figures.put("mongo_runs_missing", missingDocuments);
        figures.put("mongo_runs_extra", Math.max(0, extraDocuments));
        figures.putAll(timings);
        figures.put("down_reports_after_restart", downAfterRestart);
        figures.put("nodes", nodes);
        return new ChaosReport("broker-restart", lostUpdates + lostSamples + missingDocuments,
                duplicatedChanges + Math.max(0, extraDocuments), figures);
    }
}
