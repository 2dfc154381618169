package dev.arcturus.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.admission.calendar.NodeCalendar;
import dev.arcturus.avro.DecisionOutcome;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.NodeRole;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.scheduling.schedule.JobRuns;
import dev.arcturus.scheduling.schedule.JobSpecs;
import dev.arcturus.testing.SharedPlane;
import dev.arcturus.testing.SharedPlaneExtension;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real broker: several producers send conflicting requests for overlapping node pairs (target and server
 * swapped) at once, some retried, plus an undecodable record. Every request gets exactly one decision, a retry gets
 * the same one, the bad record lands in the dead-letter topic, and no two accepted exclusive jobs overlap on any node.
 */
@ExtendWith(SharedPlaneExtension.class)
class AdmissionConcurrencyTest {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final int PRODUCERS = 4;
    private static final int REQUESTS_PER_PRODUCER = 60;

    private final SharedPlane plane;
    @TempDir
    Path stateDir;

    AdmissionConcurrencyTest(final SharedPlane plane) {
        this.plane = plane;
    }

    @Test
    void shouldNeverAcceptOverlappingExclusiveJobsUnderConcurrentConflictingRequests() throws Exception {
        plane.ensureTopics(TopicCatalog.all());
        final String run = SharedPlane.uniqueName("conc");
        final SchemaRegistryClient registry = plane.registryClient();
        final AdmissionConfig config = AdmissionConfig.defaults(
                new PlaneEndpoints(plane.bootstrapServers(), plane.registryUrl()), stateDir).withApplicationId(run);
        final List<String> nodes = List.of(run + "-n0", run + "-n1", run + "-n2", run + "-n3");
        registerNodes(nodes, registry);
        try (AdmissionApp app = AdmissionApp.start(config, Duration.ofSeconds(90))) {
            sendUndecodableCommand();
            final Map<String, JobCommand> sent = sendConcurrently(run, nodes, registry);
            final List<JobCommand> retried = new ArrayList<>(sent.values()).subList(0, 20);
            final Map<String, List<JobDecision>> decisions = awaitDecisions(registry, sent.size(), retried, sent.keySet());

            assertThat(decisions.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
            decisions.forEach((commandId, list) -> assertThat(list.stream()
                    .map(d -> d.getMetadata().getEventId()).distinct()).as("one decision for %s", commandId).hasSize(1));
            final List<JobSpec> accepted = decisions.values().stream().map(l -> l.get(0))
                    .filter(d -> d.getOutcome() == DecisionOutcome.ACCEPTED)
                    .map(d -> sent.get(d.getCommandId()).getSpec()).toList();
            assertThat(accepted).as("some requests win, many conflict").isNotEmpty()
                    .hasSizeLessThan(sent.size());
            assertNoOverlapPerNode(accepted);
            assertThat(jobStates(registry, run)).containsOnlyKeys(accepted.stream().map(JobSpec::getJobId).toList());
            assertThat(deadLetters(config.deadLetterTopic())).isEqualTo(1);
        }
    }

    private void registerNodes(final List<String> nodes, final SchemaRegistryClient registry) throws Exception {
        final Serde<NodeRegistration> serde = TopicCatalog.NODE_REGISTRATION.valueSerde(registry);
        try (KafkaProducer<String, NodeRegistration> producer = new KafkaProducer<>(producerProps(),
                new StringSerializer(), serde.serializer())) {
            for (final String node : nodes) {
                producer.send(new ProducerRecord<>(TopicCatalog.NODE_REGISTRATION.name(), node, NodeRegistration
                        .newBuilder().setMetadata(EventMetadatas.newMetadata("test", CLOCK)).setNodeId(node)
                        .setIp("10.1.1.1").setRegion("EU").setRole(NodeRole.MEASUREMENT)
                        .setRegisteredAt(Instant.now()).build())).get();
            }
        }
    }

    private void sendUndecodableCommand() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TopicCatalog.JOB_COMMAND.name(), "garbage".getBytes(),
                    "{\"not\":\"avro\"}".getBytes())).get();
        }
    }

    private Map<String, JobCommand> sendConcurrently(final String run, final List<String> nodes,
                                                     final SchemaRegistryClient registry) throws Exception {
        final Map<String, JobCommand> sent = new ConcurrentHashMap<>();
        final ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS);
        final List<Future<?>> futures = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            final int producerIndex = p;
            futures.add(pool.submit(() -> {
                final Random random = new Random(producerIndex);
                final Serde<JobCommand> serde = TopicCatalog.JOB_COMMAND.valueSerde(registry);
                try (KafkaProducer<String, JobCommand> producer = new KafkaProducer<>(producerProps(),
                        new StringSerializer(), serde.serializer())) {
                    for (int i = 0; i < REQUESTS_PER_PRODUCER; i++) {
                        final JobCommand command = AdmissionHarness.schedule(randomJob(run, producerIndex, i, nodes, random));
                        sent.put(command.getCommandId(), command);
                        producer.send(new ProducerRecord<>(TopicCatalog.JOB_COMMAND.name(), command.getJobId(), command));
                    }
                }
                return null;
            }));
        }
        for (final Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        return sent;
    }

    /** Two of four nodes, in either role; hourly runs at one of a few minutes, so requests collide often. */
    private static JobSpec randomJob(final String run, final int producer, final int i, final List<String> nodes,
                                     final Random random) {
        final String target = nodes.get(random.nextInt(nodes.size()));
        String server = nodes.get(random.nextInt(nodes.size()));
        if (server.equals(target) || random.nextBoolean()) {
            server = null;
        }
        final int minute = 5 * random.nextInt(12);
        return AdmissionHarness.cron(run + "-p" + producer + "-j" + i, target, minute + " * * * *",
                60 * (1 + random.nextInt(10))).setServerNodeId(server)
                .setWindowStart(Instant.parse("2026-12-01T00:00:00Z"))
                .setWindowEnd(Instant.parse("2026-12-03T00:00:00Z")).build();
    }

    private Map<String, List<JobDecision>> awaitDecisions(final SchemaRegistryClient registry, final int expected,
                                                          final List<JobCommand> retries, final java.util.Set<String> ours)
            throws Exception {
        final Map<String, List<JobDecision>> decisions = new HashMap<>();
        boolean retried = false;
        try (KafkaConsumer<String, JobDecision> consumer = consumer(TopicCatalog.JOB_DECISION.valueSerde(registry))) {
            consumer.subscribe(List.of(TopicCatalog.JOB_DECISION.name()));
            final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                for (final ConsumerRecord<String, JobDecision> record : consumer.poll(Duration.ofMillis(200))) {
                    if (ours.contains(record.value().getCommandId())) {
                        decisions.computeIfAbsent(record.value().getCommandId(), k -> new ArrayList<>()).add(record.value());
                    }
                }
                if (decisions.size() == expected && !retried) {
                    resend(registry, retries);
                    retried = true;
                }
                final int total = decisions.values().stream().mapToInt(List::size).sum();
                if (retried && total >= expected + retries.size()) {
                    break;
                }
            }
        }
        assertThat(retried).as("all %d requests decided in time (got %d)", expected, decisions.size()).isTrue();
        return decisions;
    }

    private void resend(final SchemaRegistryClient registry, final List<JobCommand> retries) throws Exception {
        try (KafkaProducer<String, JobCommand> producer = new KafkaProducer<>(producerProps(), new StringSerializer(),
                TopicCatalog.JOB_COMMAND.valueSerde(registry).serializer())) {
            for (final JobCommand command : retries) {
                producer.send(new ProducerRecord<>(TopicCatalog.JOB_COMMAND.name(), command.getJobId(), command)).get();
            }
        }
    }

    private static void assertNoOverlapPerNode(final List<JobSpec> accepted) throws Exception {
        final Map<String, NodeCalendar> calendars = new HashMap<>();
        for (final JobSpec spec : accepted) {
            final JobRuns runs = JobSpecs.expand(spec);
            for (final String node : JobSpecs.nodesOf(spec)) {
                final NodeCalendar calendar = calendars.computeIfAbsent(node, n -> new NodeCalendar());
                assertThat(calendar.conflicts(runs, null, 1)).as("%s overlaps on %s", spec.getJobId(), node).isEmpty();
                calendar.add(runs);
            }
        }
    }

    private Map<String, JobState> jobStates(final SchemaRegistryClient registry, final String run) {
        final Map<String, JobState> states = new HashMap<>();
        try (KafkaConsumer<String, JobState> consumer = consumer(TopicCatalog.JOB_STATE.valueSerde(registry))) {
            consumer.subscribe(List.of(TopicCatalog.JOB_STATE.name()));
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                for (final ConsumerRecord<String, JobState> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().startsWith(run)) {
                        states.put(record.key(), record.value());
                    }
                }
            }
        }
        return states;
    }

    private long deadLetters(final String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, SharedPlane.uniqueName("dlq"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long count = 0;
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && count == 0) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(record.headers().lastHeader("__streams.errors.exception")).isNotNull();
                    count++;
                }
            }
            return count;
        }
    }

    private <V> KafkaConsumer<String, V> consumer(final Serde<V> serde) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, SharedPlane.uniqueName("read"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new org.apache.kafka.common.serialization.StringDeserializer(), serde.deserializer());
    }

    private Map<String, Object> producerProps() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers());
    }
}
