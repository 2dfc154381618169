package dev.arcturus.tools.chaos;

import static dev.arcturus.tools.fleet.SyntheticFleet.nodeId;

import dev.arcturus.apps.PlaneApps;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.LivenessState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.streams.StreamsAppKind;
import dev.arcturus.topics.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arcturus chaos takeover}: two instances of every streams app (two JVMs, each running all six), heartbeats
 * and schedule requests flowing; one JVM is SIGKILLed. The survivor must own every partition of every app within
 * 10 s, decide every command exactly once, and never report a beating node SUSPECT or DOWN.
 */
@Command(name = "takeover", mixinStandardHelpOptions = true,
        description = "Two instances of each streams app; SIGKILL one; measure the takeover.")
public final class TakeoverScenario extends ChaosScenario {
    private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(1);
    private static final Duration GROUP_PATIENCE = Duration.ofMinutes(2);
    private static final Duration RESUME_WINDOW = Duration.ofSeconds(2);
    private static final int PROBES_PER_SECOND = 6;

    @Option(names = "--nodes", defaultValue = "1000", description = "Beating nodes (default ${DEFAULT-VALUE}).")
    int nodes = 1_000;
    @Option(names = "--commands-per-s", defaultValue = "50", description = "Schedule commands/s (default ${DEFAULT-VALUE}).")
    int commandsPerSecond = 50;
    @Option(names = "--after-kill", defaultValue = "PT20S", description = "Load kept up after the kill (default ${DEFAULT-VALUE}).")
    Duration afterKill = Duration.ofSeconds(20);

    private final Map<String, Long> commandSentAt = new ConcurrentHashMap<>();
    private final Map<String, Long> probeSentAt = new ConcurrentHashMap<>();

    public TakeoverScenario() {
    }

    public TakeoverScenario(final int nodes, final int commandsPerSecond, final Duration afterKill) {
        this.nodes = nodes;
        this.commandsPerSecond = commandsPerSecond;
        this.afterKill = afterKill;
    }

    @Override
    public ChaosReport run() throws Exception {
        final List<String> apps = StreamsProcess.allApps();
        try (ChaosPlane plane = ChaosPlane.start();
             KafkaProducer<String, SpecificRecord> producer = plane.producer();
             TopicTail<JobDecision> decisions = plane.tail(TopicCatalog.JOB_DECISION);
             TopicTail<NodeLiveness> liveness = plane.tail(TopicCatalog.NODE_LIVENESS)) {
            ChaosRecords.registerFleet(producer, nodes);
            final ChildJvm a = StreamsProcess.start(plane, "instance-a", apps);
            final Map<String, Integer> alone = members(plane);
            final Load load = new Load(producer);
            try (Ticker ticker = new Ticker("chaos-load", HEARTBEAT_EVERY, load::tick);
                 ChildJvm b = StreamsProcess.start(plane, "instance-b", apps)) {
                for (final StreamsAppKind app : PlaneApps.all()) {
                    ConsumerGroups.awaitStable(plane.admin(), app.applicationId(),
                            2 * alone.get(app.applicationId()), GROUP_PATIENCE);
                }
                System.out.println("both instances own partitions of every app; SIGKILL instance-a");
                final long beforeKill = System.currentTimeMillis();
                load.probes = true;
                a.kill();
                final long killedAt = System.currentTimeMillis();
                final Map<String, Double> groupTakeover = new LinkedHashMap<>();
                for (final StreamsAppKind app : PlaneApps.all()) {
                    final long stable = ConsumerGroups.awaitStable(plane.admin(), app.applicationId(),
                            alone.get(app.applicationId()), GROUP_PATIENCE);
                    groupTakeover.put(app.shortName(), (stable - killedAt) / 1e3);
                }
                Thread.sleep(Math.max(0, afterKill.toMillis() - (System.currentTimeMillis() - killedAt)));
                ticker.close();
                Waits.until(() -> decisions.firstSeenAt(JobDecision::getCommandId).keySet()
                        .containsAll(commandSentAt.keySet()), GROUP_PATIENCE);
                Waits.until(() -> liveness.firstSeenAt(NodeLiveness::getNodeId).keySet()
                        .containsAll(probeSentAt.keySet()), GROUP_PATIENCE);
                return report(decisions, liveness, beforeKill, killedAt, groupTakeover);
            } finally {
                a.close();
            }
        }
    }

    /** Group members per app with one instance running (its stream threads). */
    private static Map<String, Integer> members(final ChaosPlane plane) throws InterruptedException {
        final Map<String, Integer> members = new LinkedHashMap<>();
        for (final StreamsAppKind app : PlaneApps.all()) {
            members.put(app.applicationId(), ConsumerGroups.awaitStable(plane.admin(), app.applicationId(),
                    count -> count > 0, GROUP_PATIENCE));
        }
        return members;
    }

    /**
     * One second of load (a {@link Ticker} calls it): heartbeats from every node, system info every 10 s, schedule
     * commands, and after the kill fresh probe nodes.
     */
    private final class Load {
        private final KafkaProducer<String, SpecificRecord> producer;
        private final Instant slots = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.HOURS);
        private volatile boolean probes;
        private int command;
        private int probe;

        Load(final KafkaProducer<String, SpecificRecord> producer) {
            this.producer = producer;
        }

        void tick(final long second) {
            for (int i = 0; i < nodes; i++) {
                send(TopicCatalog.NODE_HEARTBEAT.name(), nodeId(i), ChaosRecords.heartbeat(nodeId(i), second,
                        HEARTBEAT_EVERY));
                if (second % 10 == 0) {
                    send(TopicCatalog.NODE_SYSTEM_INFO.name(), nodeId(i),
                            ChaosRecords.systemInfo(nodeId(i), Instant.now(), 30));
                }
            }
            for (int c = 0; c < commandsPerSecond; c++, command++) {
                final var job = ChaosRecords.fixedSlotJob("takeover-job-" + command, nodeId(command % nodes),
                        slots.plus(Duration.ofMinutes(10L * (command / nodes))), Duration.ofMinutes(5));
                final var schedule = ChaosRecords.schedule(job);
                commandSentAt.put(schedule.getCommandId(), System.currentTimeMillis());
                send(TopicCatalog.JOB_COMMAND.name(), job.getJobId(), schedule);
            }
            if (probes) {
                // Nodes first heard of now (then beating like the rest): each one's first liveness record shows the
                // app processing their partition again.
                for (int p = 0; p < PROBES_PER_SECOND; p++, probe++) {
                    final String id = "probe-" + probe;
                    send(TopicCatalog.NODE_REGISTRATION.name(), id, ChaosRecords.registration(id, "R0"));
                    probeSentAt.put(id, System.currentTimeMillis());
                }
                for (final String id : probeSentAt.keySet()) {
                    send(TopicCatalog.NODE_HEARTBEAT.name(), id, ChaosRecords.heartbeat(id, second, HEARTBEAT_EVERY));
                }
            }
            producer.flush();
        }

        private void send(final String topic, final String key, final SpecificRecord value) {
            producer.send(new ProducerRecord<>(topic, key, value));
        }
    }

    private ChaosReport report(final TopicTail<JobDecision> decisions, final TopicTail<NodeLiveness> liveness,
                               final long beforeKill, final long killedAt, final Map<String, Double> groupTakeover) {
        final TopicTail.Tally decided = decisions.tally(commandSentAt.keySet(), JobDecision::getCommandId);
        final long falseAlarms = liveness.count(s -> s.value() != null && s.seenAtMillis() >= beforeKill
                && s.value().getNodeId().toString().startsWith("node-")
                && (s.value().getState() == LivenessState.DOWN || s.value().getState() == LivenessState.SUSPECT));
        final Map<String, Long> firstSeen = liveness.firstSeenAt(NodeLiveness::getNodeId);
        final Map<String, Long> firstDecision = decisions.firstSeenAt(JobDecision::getCommandId);
        final double livenessResumed = resumedAfter(probeSentAt, firstSeen, killedAt);
        final double admissionResumed = resumedAfter(commandSentAt, firstDecision, killedAt);
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("takeover_s", groupTakeover.values().stream().mapToDouble(Double::doubleValue).max().orElse(0));
        groupTakeover.forEach((app, seconds) -> figures.put(app + "_group_s", seconds));
        figures.put("admission_resumed_s", admissionResumed);
        figures.put("liveness_resumed_s", livenessResumed);
        figures.put("false_down", falseAlarms);
        figures.put("commands", commandSentAt.size());
        figures.put("nodes", nodes);
        return new ChaosReport("takeover", decided.missing(), decided.repeated(), figures);
    }

    /**
     * When every partition answered again: the latest answer, counted from the kill, to an input sent in the first
     * {@link #RESUME_WINDOW} after it (inputs spread over all partitions, so some wait for the takeover).
     */
    private static double resumedAfter(final Map<String, Long> sentAt, final Map<String, Long> answeredAt,
                                       final long killedAt) {
        return sentAt.entrySet().stream().filter(e -> e.getValue() >= killedAt
                        && e.getValue() < killedAt + RESUME_WINDOW.toMillis())
                .mapToLong(e -> answeredAt.getOrDefault(e.getKey(), Long.MAX_VALUE) - killedAt).max().orElse(-1) / 1e3;
    }
}
