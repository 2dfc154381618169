package dev.arcturus.tools.bench;

import dev.arcturus.admission.AdmissionApp;
import dev.arcturus.admission.AdmissionConfig;
import dev.arcturus.bus.BusPrincipal;
import dev.arcturus.admission.calendar.NodeCalendar;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobCommandType;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.JobKind;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.scheduling.schedule.JobRuns;
import dev.arcturus.scheduling.schedule.JobSpecs;
import dev.arcturus.tools.fleet.SyntheticFleet;
import dev.arcturus.topics.JobIds;
import dev.arcturus.topics.TopicCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arcturus bench admission}: job admission on a real in-process broker, ending with
 * {@code RESULT admission ids=<minted|named> decisions_per_s=<n> worst_case_ms=<n> p50_ms=<n> p99_ms=<n>
 * one_hop_share=<f> raw_records_per_s=<n> share_of_raw=<f>}, the raw rate measured on the same broker first.
 */
@Command(name = "admission", mixinStandardHelpOptions = true,
        description = "Admission throughput, worst-case decision time and latency at a fixed rate.")
public final class AdmissionBenchmark implements Callable<Integer> {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final Instant WINDOW = Instant.parse("2027-01-04T00:00:00Z");

    @Option(names = "--nodes", defaultValue = "10000", description = "Registered nodes (default ${DEFAULT-VALUE}).")
    private int nodes;
    @Option(names = "--commands", defaultValue = "30000", description = "Mixed commands for throughput.")
    private int commands;
    @Option(names = "--rate", defaultValue = "2000", description = "Requests/s for the latency phase.")
    private int rate;
    @Option(names = "--rate-seconds", defaultValue = "10", description = "Length of the latency phase.")
    private int rateSeconds;
    @Option(names = "--commit-interval-ms", description = "Override the app's EOS commit interval.")
    private Integer commitIntervalMs;
    @Option(names = "--threads", description = "Override the app's stream threads.")
    private Integer threads;
    @Option(names = "--named-ids", description = "Name every job as a client would (mix-0, mix-1, …) instead of "
            + "leaving the id to the plane (JobIds: the id shares its node's partition, so a one-node job is decided "
            + "in one hop); with names only one job in six lands on its node's partition.")
    private boolean namedIds;

    @picocli.CommandLine.Mixin
    private BusOption bus = new BusOption();

    private BenchPlane plane;
    private SchemaRegistryClient registry;
    private final Map<String, Long> sentAtNanos = new ConcurrentHashMap<>();
    private final Map<String, Long> decidedAtNanos = new ConcurrentHashMap<>();
    private final Map<String, Long> sentAtMillis = new ConcurrentHashMap<>();
    /** Per command: admission's decision time and when the reader saw it (ms). */
    private final Map<String, long[]> decidedAtMillis = new ConcurrentHashMap<>();
    /** Mixed jobs made, and how many of them touch one node in its own partition (decided in one hop). */
    private long mixed;
    private long oneHop;

    @Override
    public Integer call() throws Exception {
        try (BenchPlane started = BenchPlane.start(bus.secured())) {
            plane = started;
            registry = plane.registry();
            final AdmissionConfig defaults = AdmissionConfig.defaults(plane.endpointsOf(BusPrincipal.ADMISSION),
                    plane.stateDir());
            final AdmissionConfig config = defaults.withThroughputSettings(
                    commitIntervalMs == null ? defaults.commitIntervalMs() : commitIntervalMs,
                    threads == null ? defaults.streamThreads() : threads);
            System.out.printf("admission app: commit interval %d ms, %d stream thread(s)%n",
                    config.commitIntervalMs(), config.streamThreads());
            plane.registerNodes(nodes, "dense");
            final double raw = RawKafkaRate.measure(plane);
            try (AdmissionApp app = AdmissionApp.start(config, Duration.ofSeconds(120));
                 DecisionWatcher watcher = new DecisionWatcher()) {
                final double throughput = throughput();
                HopTimings.print(app.streams().metrics());
                final long[] worst = worstCase();
                final long[] latency = latencyAtRate();
                System.out.printf("worst case: end-to-end %d ms through Kafka (one EOS hop), check alone %d ms%n",
                        worst[0], worst[1]);
                System.out.printf("RESULT admission bus=" + bus.label() + " ids=%s decisions_per_s=%d "
                                + "worst_case_ms=%d p50_ms=%d p99_ms=%d one_hop_share=%.2f %s%n",
                        namedIds ? "named" : "minted", Math.round(throughput), worst[1], latency[0], latency[1],
                        oneHop / (double) mixed, RawKafkaRate.resultFields(raw, throughput));
            }
        }
        return 0;
    }

    /** 70% cron, 30% one-shot, 20% with a server node, 90% exclusive, spread over every node. */
    private double throughput() throws Exception {
        final Random random = new Random(42);
        final List<JobCommand> batch = new ArrayList<>(commands);
        for (int i = 0; i < commands; i++) {
            batch.add(command(mixedJob("mix-" + i, random)));
        }
        final long start = System.nanoTime();
        send(batch, 0);
        awaitDecided(batch, Duration.ofMinutes(10));
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("throughput: %d mixed commands decided in %.1f s%n", commands, seconds);
        return commands / seconds;
    }

    /** A new every-2-minute cron over 365 days against 100 existing dense crons on one node. */
    private long[] worstCase() throws Exception {
        final List<JobCommand> existing = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
            existing.add(command(denseJob(k)));
        }
        send(existing, 0);
        awaitDecided(existing, Duration.ofMinutes(5));
        final JobSpec candidate = cronSpec("worst-case", "dense", "*/2 * * * *", 60, Duration.ofDays(365));
        final JobCommand command = command(candidate);
        final long sent = System.nanoTime();
        send(List.of(command), 0);
        awaitDecided(List.of(command), Duration.ofMinutes(2));
        final long endToEnd = (decidedAtNanos.get(command.getCommandId()) - sent) / 1_000_000;
        return new long[] {endToEnd, checkAloneMillis(existing, candidate)};
    }

    /** The same decision computed in-process: validate and expand the candidate, sweep the node's calendar. */
    private static long checkAloneMillis(final List<JobCommand> existing, final JobSpec candidate) throws Exception {
        final NodeCalendar calendar = new NodeCalendar();
        for (final JobCommand command : existing) {
            calendar.add(JobSpecs.expand(command.getSpec()));
        }
        final long[] samples = new long[7];
        for (int i = 0; i < samples.length; i++) {
            final long start = System.nanoTime();
            final JobRuns runs = JobSpecs.expand(candidate);
            if (!calendar.conflicts(runs, null, 10).isEmpty()) {
                throw new IllegalStateException("the worst-case candidate must not conflict (full sweep)");
            }
            samples[i] = System.nanoTime() - start;
        }
        Arrays.sort(samples);
        System.out.printf("worst case: %d candidate runs against %d calendar runs; check %.1f ms (median of 7)%n",
                JobSpecs.expand(candidate).size(), calendar.runCount(), samples[3] / 1e6);
        return Math.round(samples[3] / 1e6);
    }

    private long[] latencyAtRate() throws Exception {
        final Random random = new Random(7);
        final List<JobCommand> paced = new ArrayList<>();
        for (int i = 0; i < rate * rateSeconds; i++) {
            paced.add(command(mixedJob("rate-" + i, random)));
        }
        send(paced, rate);
        awaitDecided(paced, Duration.ofMinutes(5));
        final long[] latencies = paced.stream().mapToLong(c -> decidedAtNanos.get(c.getCommandId())
                - sentAtNanos.get(c.getCommandId())).sorted().toArray();
        final long p50 = latencies[latencies.length / 2] / 1_000_000;
        final long p99 = latencies[(int) (latencies.length * 0.99)] / 1_000_000;
        System.out.printf("latency at %d/s for %d s: p50 %d ms, p99 %d ms%n", rate, rateSeconds, p50, p99);
        // Where the time goes: sent → decided by admission (the decision's event time: queueing, poll, the work),
        // decided → seen by a read_committed reader (waiting for the transaction: the rest of the commit interval,
        // the commit itself, the reader's fetch).
        final long[] toDecided = paced.stream().mapToLong(c -> decidedAtMillis.get(c.getCommandId())[0]
                - sentAtMillis.get(c.getCommandId())).sorted().toArray();
        final long[] toSeen = paced.stream().mapToLong(c -> decidedAtMillis.get(c.getCommandId())[1]
                - decidedAtMillis.get(c.getCommandId())[0]).sorted().toArray();
        System.out.printf("latency stages (p50 / p99 ms): sent->decided %d / %d, decided->seen %d / %d%n",
                toDecided[toDecided.length / 2], toDecided[(int) (toDecided.length * 0.99)],
                toSeen[toSeen.length / 2], toSeen[(int) (toSeen.length * 0.99)]);
        return new long[] {p50, p99};
    }

    private JobSpec mixedJob(final String name, final Random random) {
        final String target = node(random.nextInt(nodes));
        String server = null;
        if (random.nextDouble() < 0.2) {
            server = node(random.nextInt(nodes));
            if (server.equals(target)) {
                server = null;
            }
        }
        final String id = namedIds ? name : JobIds.mintFor(target, random);
        mixed++;
        if (server == null && JobIds.coPartitioned(id, target)) {
            oneHop++;
        }
        final JobSpec.Builder spec;
        if (random.nextDouble() < 0.7) {
            spec = JobSpec.newBuilder(cronSpec(id, target, random.nextInt(60) + " * * * *",
                    60 * (1 + random.nextInt(10)), Duration.ofDays(1)));
        } else {
            final Instant start = WINDOW.plus(Duration.ofMinutes(random.nextInt(24 * 60)));
            spec = JobSpec.newBuilder().setJobId(id).setOwner("bench").setKind(JobKind.ONE_SHOT)
                    .setTargetNodeId(target).setWindowStart(start).setWindowEnd(start.plus(Duration.ofHours(2)))
                    .setLengthSeconds(60 * (1 + random.nextInt(30)));
        }
        return spec.setServerNodeId(server).setExclusive(random.nextDouble() < 0.9).build();
    }

    /** Job k fires at odd minute 2(k mod 30)+1 in every fourth hour: 100 disjoint crons, 219,000 runs a year. */
    private static JobSpec denseJob(final int k) {
        final int minute = 2 * (k % 30) + 1;
        final int hourClass = k / 30;
        final StringBuilder hours = new StringBuilder();
        for (int h = hourClass; h < 24; h += 4) {
            hours.append(hours.length() == 0 ? "" : ",").append(h);
        }
        return cronSpec("dense-" + k, "dense", minute + " " + hours + " * * *", 50, Duration.ofDays(365));
    }

    private static JobSpec cronSpec(final String id, final String node, final String schedule, final int length,
                                    final Duration window) {
        return JobSpec.newBuilder().setJobId(id).setOwner("bench").setKind(JobKind.CRON).setSchedule(schedule)
                .setTargetNodeId(node).setWindowStart(WINDOW).setWindowEnd(WINDOW.plus(window))
                .setLengthSeconds(length).setExclusive(true).build();
    }

    private static JobCommand command(final JobSpec spec) {
        return JobCommand.newBuilder().setMetadata(EventMetadatas.newMetadata("bench", CLOCK))
                .setCommandId(UUID.randomUUID().toString()).setType(JobCommandType.SCHEDULE)
                .setJobId(spec.getJobId()).setRequestedBy("bench").setSpec(spec).build();
    }

    /** The id {@link BenchPlane#registerNodes} registered node {@code i} under. */
    private static String node(final int i) {
        return SyntheticFleet.nodeId(i);
    }

    /** Sends the commands, paced to {@code perSecond} when positive, recording each send time. */
    private void send(final List<JobCommand> batch, final int perSecond) throws Exception {
        try (KafkaProducer<String, JobCommand> producer = new KafkaProducer<>(producerProps(), new StringSerializer(),
                TopicCatalog.JOB_COMMAND.valueSerde(registry).serializer())) {
            final long start = System.nanoTime();
            for (int i = 0; i < batch.size(); i++) {
                if (perSecond > 0) {
                    final long due = start + i * 1_000_000_000L / perSecond;
                    // Parked, not spun: on two cores a spinning sender takes a core from the app it measures.
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                final JobCommand command = batch.get(i);
                sentAtNanos.put(command.getCommandId(), System.nanoTime());
                sentAtMillis.put(command.getCommandId(), System.currentTimeMillis());
                producer.send(new ProducerRecord<>(TopicCatalog.JOB_COMMAND.name(), command.getJobId(), command));
            }
            producer.flush();
        }
    }

    private void awaitDecided(final List<JobCommand> batch, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        for (final JobCommand command : batch) {
            while (!decidedAtNanos.containsKey(command.getCommandId())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("undecided after " + timeout + ": " + command.getCommandId());
                }
                Thread.sleep(5);
            }
        }
    }

    private Map<String, Object> producerProps() {
        return plane.client(Map.of(ProducerConfig.LINGER_MS_CONFIG, 2));
    }

    /** Records when each decision becomes visible to a read_committed consumer. */
    private final class DecisionWatcher implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong seen = new AtomicLong();
        private final Thread thread;

        DecisionWatcher() {
            thread = new Thread(this::watch, "bench-decision-watcher");
            thread.start();
        }

        private void watch() {
            try (KafkaConsumer<String, JobDecision> consumer = new KafkaConsumer<>(plane.client(Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                    new StringDeserializer(), TopicCatalog.JOB_DECISION.valueSerde(registry).deserializer())) {
                consumer.subscribe(List.of(TopicCatalog.JOB_DECISION.name()));
                while (running.get()) {
                    for (final ConsumerRecord<String, JobDecision> record : consumer.poll(Duration.ofMillis(50))) {
                        decidedAtNanos.putIfAbsent(record.value().getCommandId(), System.nanoTime());
                        // Wall-clock stages: when admission made the decision (its event time), when this reader
                        // saw it.
                        decidedAtMillis.putIfAbsent(record.value().getCommandId(), new long[] {
                                record.value().getMetadata().getOccurredAt().toEpochMilli(),
                                System.currentTimeMillis()});
                        seen.incrementAndGet();
                    }
                }
            }
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join(5000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
