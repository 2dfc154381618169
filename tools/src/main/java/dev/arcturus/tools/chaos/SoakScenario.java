package dev.arcturus.tools.chaos;

import static dev.arcturus.tools.fleet.SyntheticFleet.nodeId;

import dev.arcturus.apps.PlaneApps;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.LivenessState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.avro.RunState;
import dev.arcturus.streams.StreamsAppKind;
import dev.arcturus.topics.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arcturus chaos soak}: a testbed's steady load held for a fixed period against all six streams apps in one
 * JVM: 10,000 nodes heartbeating every 10 s, 1,000 schedule requests and 100 runs a minute. Every so often the
 * apps' JVM is made to collect its garbage and its live heap is read, and every app's consumer lag is summed. Passing
 * means nothing lost or decided twice, a flat live heap (the second half's median no higher than the first half's
 * plus a margin), lag in the second half no higher than in the first, and none left once the load stops.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Hold a steady load; sample the apps' heap after GC and their consumer lag.")
public final class SoakScenario extends ChaosScenario {
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration DRAIN_PATIENCE = Duration.ofMinutes(3);
    private static final Duration WARM_UP = Duration.ofSeconds(20);

    @Option(names = "--nodes", defaultValue = "10000", description = "Nodes (default ${DEFAULT-VALUE}).")
    int nodes = 10_000;
    @Option(names = "--heartbeat-every", defaultValue = "PT10S", description = "Each node's heartbeat period (default ${DEFAULT-VALUE}).")
    Duration heartbeatEvery = Duration.ofSeconds(10);
    @Option(names = "--jobs-per-min", defaultValue = "1000", description = "Schedule requests a minute (default ${DEFAULT-VALUE}).")
    int jobsPerMinute = 1_000;
    @Option(names = "--runs-per-min", defaultValue = "100", description = "Runs started a minute (default ${DEFAULT-VALUE}).")
    int runsPerMinute = 100;
    @Option(names = "--duration", defaultValue = "PT10M", description = "How long the load is held (default ${DEFAULT-VALUE}).")
    Duration duration = Duration.ofMinutes(10);
    @Option(names = "--sample-every", defaultValue = "PT30S", description = "Heap and lag sampling period (default ${DEFAULT-VALUE}).")
    Duration sampleEvery = Duration.ofSeconds(30);

    private final Map<String, Long> commandSentAt = new ConcurrentHashMap<>();
    private final AtomicLong heartbeatsSent = new AtomicLong();
    private final AtomicLong ticks = new AtomicLong();
    private RunCohorts runs;

    /** One look at the apps' JVM: seconds into the soak, live heap after a full GC, summed lag of every app. */
    record Sample(double atSeconds, long heapBytes, long lag) {
    }

    public SoakScenario() {
    }

    public SoakScenario(final Duration duration, final Duration sampleEvery) {
        this.duration = duration;
        this.sampleEvery = sampleEvery;
    }

    @Override
    public ChaosReport run() throws Exception {
        final List<String> apps = StreamsProcess.allApps();
        try (ChaosPlane plane = ChaosPlane.start();
             KafkaProducer<String, SpecificRecord> producer = plane.producer();
             TopicTail<JobDecision> decisions = plane.tail(TopicCatalog.JOB_DECISION);
             TopicTail<RunState> runStates = plane.tail(TopicCatalog.RUN_STATE);
             TopicTail<NodeLiveness> liveness = plane.tail(TopicCatalog.NODE_LIVENESS)) {
            ChaosRecords.registerFleet(producer, nodes);
            try (ChildJvm appsJvm = StreamsProcess.start(plane, "soak", apps)) {
                runs = new RunCohorts(cohort -> cohort * runsPerMinute / 60, nodes);
                final Instant slots = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.HOURS);
                final List<Sample> samples = new ArrayList<>();
                final long start = System.currentTimeMillis();
                try (Ticker load = new Ticker("chaos-soak-load", TICK, tick -> sendTick(producer, tick, slots))) {
                    Thread.sleep(WARM_UP.toMillis());
                    while (System.currentTimeMillis() - start < duration.toMillis()) {
                        Thread.sleep(Math.min(sampleEvery.toMillis(),
                                Math.max(1, duration.toMillis() - (System.currentTimeMillis() - start))));
                        samples.add(sample(plane, appsJvm, start));
                        System.out.println("soak sample " + samples.get(samples.size() - 1));
                    }
                    runs.stopStarting();
                    Thread.sleep(RunCohorts.LIFE.size() * TICK.toMillis());
                }
                producer.flush();
                Waits.until(() -> decisions.firstSeenAt(JobDecision::getCommandId).keySet()
                        .containsAll(commandSentAt.keySet()) && RunCohorts.completed(runStates) == runs.runsStarted(),
                        DRAIN_PATIENCE);
                final Sample drained = sample(plane, appsJvm, start);
                return report(decisions, runStates, liveness, samples, drained);
            }
        }
    }

    /** One second: a tenth of the nodes beat (each node every 10 s), a 60th of a minute's jobs, a run cohort. */
    private void sendTick(final KafkaProducer<String, SpecificRecord> producer, final long tick, final Instant slots) {
        final long period = heartbeatEvery.toSeconds();
        for (int i = (int) (tick % period); i < nodes; i += (int) period) {
            producer.send(new ProducerRecord<>(TopicCatalog.NODE_HEARTBEAT.name(), nodeId(i),
                    ChaosRecords.heartbeat(nodeId(i), tick / period, heartbeatEvery)));
            heartbeatsSent.incrementAndGet();
        }
        // Jobs on distinct node/slot pairs: admission accepts all of them, so its calendars really grow.
        for (long job = tick * jobsPerMinute / 60; job < (tick + 1) * jobsPerMinute / 60; job++) {
            final var spec = ChaosRecords.fixedSlotJob("soak-job-" + job, nodeId((int) (job % nodes)),
                    slots.plus(Duration.ofMinutes(10L * (job / nodes))), Duration.ofMinutes(5));
            final var schedule = ChaosRecords.schedule(spec);
            commandSentAt.put(schedule.getCommandId().toString(), System.currentTimeMillis());
            producer.send(new ProducerRecord<>(TopicCatalog.JOB_COMMAND.name(), spec.getJobId(), schedule));
        }
        runs.sendTick(producer, tick);
        ticks.incrementAndGet();
    }

    private static Sample sample(final ChaosPlane plane, final ChildJvm apps, final long start) throws Exception {
        long lag = 0;
        for (final StreamsAppKind app : PlaneApps.all()) {
            lag += ConsumerGroups.lag(plane.admin(), app.applicationId());
        }
        return new Sample((System.currentTimeMillis() - start) / 1e3, JvmHeap.afterFullGc(apps.pid()), lag);
    }

    private ChaosReport report(final TopicTail<JobDecision> decisions, final TopicTail<RunState> runStates,
                               final TopicTail<NodeLiveness> liveness, final List<Sample> samples,
                               final Sample drained) {
        final TopicTail.Tally decided = decisions.tally(commandSentAt.keySet(), JobDecision::getCommandId);
        final long incompleteRuns = runs.runsStarted() - RunCohorts.completed(runStates);
        final long falseDown = liveness.count(s -> s.value() != null && s.value().getState() == LivenessState.DOWN);
        // A node back to UP without new telemetry after being DEGRADED is bouncing (none of them report telemetry).
        final Set<String> degraded = new HashSet<>();
        long bounces = 0;
        for (final TopicTail.Seen<NodeLiveness> seen : liveness.records()) {
            if (seen.value() == null) {
                continue;
            }
            if (seen.value().getState() == LivenessState.DEGRADED) {
                degraded.add(seen.key());
            } else if (seen.value().getState() == LivenessState.UP && degraded.contains(seen.key())) {
                bounces++;
            }
        }
        final int half = samples.size() / 2;
        final double firstHalfHeap = medianHeapMb(samples.subList(0, half));
        final double secondHalfHeap = medianHeapMb(samples.subList(half, samples.size()));
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("duration_s", duration.toSeconds());
        figures.put("heartbeats_per_s", (double) heartbeatsSent.get() / ticks.get() / TICK.toSeconds());
        figures.put("jobs", commandSentAt.size());
        figures.put("runs", runs.runsStarted());
        figures.put("samples", samples.size());
        figures.put("heap_after_gc_first_half_median_mb", firstHalfHeap);
        figures.put("heap_after_gc_second_half_median_mb", secondHalfHeap);
        figures.put("heap_after_gc_max_mb", samples.stream().mapToLong(Sample::heapBytes).max().orElse(0) / 1048576.0);
        figures.put("heap_after_gc_drained_mb", drained.heapBytes() / 1048576.0);
        figures.put("lag_max", samples.stream().mapToLong(Sample::lag).max().orElse(0));
        figures.put("lag_first_half_max", samples.subList(0, half).stream().mapToLong(Sample::lag).max().orElse(0));
        figures.put("lag_second_half_max",
                samples.subList(half, samples.size()).stream().mapToLong(Sample::lag).max().orElse(0));
        figures.put("lag_drained", drained.lag());
        figures.put("false_down", falseDown);
        figures.put("liveness_records", liveness.count(s -> s.value() != null));
        figures.put("degraded_to_up_bounces", bounces);
        figures.put("undecided_jobs", decided.missing());
        figures.put("incomplete_runs", incompleteRuns);
        return new ChaosReport("soak", decided.missing() + incompleteRuns, decided.repeated(), figures);
    }

    /** The median, so one sample taken mid-burst (buffers full) does not decide flatness. */
    private static double medianHeapMb(final List<Sample> samples) {
        final long[] sorted = samples.stream().mapToLong(Sample::heapBytes).sorted().toArray();
        if (sorted.length == 0) {
            return 0;
        }
        final int mid = sorted.length / 2;
        final double median = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
        return median / 1048576.0;
    }
}
