package dev.arcturus.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.admission.AdmissionApp;
import dev.arcturus.admission.AdmissionConfig;
import dev.arcturus.avro.DecisionOutcome;
import dev.arcturus.avro.Heartbeat;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.JobKind;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.NodeRole;
import dev.arcturus.avro.NodeSelector;
import dev.arcturus.avro.PlacementAction;
import dev.arcturus.avro.PlacementActionType;
import dev.arcturus.avro.PlacementCommand;
import dev.arcturus.avro.PlacementCommandType;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.liveness.LivenessApp;
import dev.arcturus.liveness.LivenessPolicy;
import dev.arcturus.testing.SharedPlane;
import dev.arcturus.testing.SharedPlaneExtension;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real broker, with the real admission and liveness apps and two placement instances: a selector job is
 * placed; its node stops heartbeating and the job moves, the action saying why; exactly one instance acts; when that
 * leader stops, the other takes over and moves the job again.
 */
@ExtendWith(SharedPlaneExtension.class)
class PlacementAppTest {
    private static final LivenessPolicy FAST_LIVENESS = new LivenessPolicy(Duration.ofSeconds(2), Duration.ofSeconds(4),
            Duration.ofSeconds(60), Duration.ZERO, Duration.ofMinutes(5), 4, Duration.ofMillis(200));
    private static final PlacementPolicy FAST_PLACEMENT = PlacementPolicy.defaults().withTick(Duration.ofSeconds(1))
            .withCooldown(Duration.ofSeconds(60));

    private final SharedPlane plane;
    @TempDir
    Path stateDir;
    private final Set<String> beating = ConcurrentHashMap.newKeySet();
    private volatile boolean reading = true;
    private final List<JobState> states = new CopyOnWriteArrayList<>();
    private final List<JobDecision> decisions = new CopyOnWriteArrayList<>();
    private final List<PlacementAction> actions = new CopyOnWriteArrayList<>();

    PlacementAppTest(final SharedPlane plane) {
        this.plane = plane;
    }

    @Test
    void jobsLeaveANodeThatStopsHeartbeatingAndOnlyTheLeaderActs() throws Exception {
        plane.ensureTopics(TopicCatalog.all());
        final String run = SharedPlane.uniqueName("place");
        final List<String> nodes = List.of(run + "-a", run + "-b", run + "-c");
        final PlaneEndpoints endpoints = new PlaneEndpoints(plane.bootstrapServers(), plane.registryUrl());
        final ScheduledExecutorService heart = Executors.newSingleThreadScheduledExecutor();
        final Thread reader = new Thread(() -> read(run), "placement-test-reader");
        reader.setDaemon(true);
        reader.start();
        try (KafkaProducer<String, SpecificRecord> producer = producer();
             LivenessApp liveness = LivenessApp.start(run + "-liveness", endpoints, stateDir.resolve("l"),
                     FAST_LIVENESS, Duration.ofSeconds(90));
             AdmissionApp admission = AdmissionApp.start(AdmissionConfig.defaults(endpoints, stateDir.resolve("a"))
                     .withApplicationId(run + "-admission"), Duration.ofSeconds(90));
             PlacementApp one = PlacementApp.start(run + "-placement", endpoints, stateDir.resolve("p1"),
                     FAST_PLACEMENT, "one", Duration.ofSeconds(90));
             PlacementApp two = PlacementApp.start(run + "-placement", endpoints, stateDir.resolve("p2"),
                     FAST_PLACEMENT, "two", Duration.ofSeconds(90))) {
            for (final String node : nodes) {
                send(producer, TopicCatalog.NODE_REGISTRATION.name(), node, NodeRegistration.newBuilder()
                        .setMetadata(meta()).setNodeId(node).setIp("10.0.0.1").setRegion(run)
                        .setRole(NodeRole.MEASUREMENT).setTags(List.of("starlink")).setRegisteredAt(Instant.now()).build());
                beating.add(node);
            }
            heart.scheduleAtFixedRate(() -> beat(producer), 0, 500, TimeUnit.MILLISECONDS);

            final String job = run + "-job";
            final JobDecision placed = submitUntilNodesAreUp(producer, job, run);
            assertThat(placed.getOutcome()).as(placed.getReason()).isEqualTo(DecisionOutcome.ACCEPTED);
            final String first = await(() -> latestNodes(job), Duration.ofSeconds(20)).get(0);
            assertThat(first).isEqualTo(nodes.get(0)); // all equally empty: the lowest id

            beating.remove(first); // the node falls silent: DOWN after the liveness TTL, then its job moves
            final String second = await(() -> movedFrom(job, first), Duration.ofSeconds(30));
            assertThat(second).isIn(nodes.get(1), nodes.get(2));
            final PlacementAction evacuation = await(() -> action(job, first), Duration.ofSeconds(10));
            assertThat(evacuation.getType()).isEqualTo(PlacementActionType.TRANSFER);
            assertThat(evacuation.getReason()).isEqualTo("node " + first + " DOWN");

            final Set<String> actors = actors(job);
            assertThat(actors).as("exactly one placement instance acts").hasSize(1);
            final PlacementApp leader = actors.contains("placement/one") ? one : two;
            final String follower = actors.contains("placement/one") ? "placement/two" : "placement/one";
            leader.close(); // the stop handle: the other instance takes the single partition over

            beating.remove(second);
            final String third = await(() -> movedFrom(job, second), Duration.ofSeconds(45));
            assertThat(third).isNotIn(first, second);
            assertThat(await(() -> action(job, second), Duration.ofSeconds(10)).getMetadata().getProducer())
                    .isEqualTo(follower);
            assertThat(actions.stream().filter(a -> a.getJobId().equals(job)).map(PlacementAction::getActionId))
                    .doesNotHaveDuplicates();
        } finally {
            heart.shutdown();
            reading = false;
            reader.join(5_000);
        }
    }

    private JobDecision submitUntilNodesAreUp(final KafkaProducer<String, SpecificRecord> producer, final String job,
                                              final String region) throws Exception {
        final JobSpec spec = JobSpec.newBuilder().setJobId(job).setOwner("alice").setKind(JobKind.CRON)
                .setSchedule("*/10 * * * *").setWindowStart(Instant.now()).setWindowEnd(Instant.now().plus(Duration.ofDays(1)))
                .setLengthSeconds(60).setSelector(NodeSelector.newBuilder().setRegion(region)
                        .setTags(List.of("starlink")).setCount(1).build()).build();
        // Until liveness has seen a heartbeat from each node, none is UP and placement says so: ask again.
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> submit(producer, job, spec),
                        d -> d.getOutcome() == DecisionOutcome.ACCEPTED || !d.getReason().startsWith("selector:"));
    }

    private JobDecision submit(final KafkaProducer<String, SpecificRecord> producer, final String job,
                               final JobSpec spec) throws Exception {
        final String commandId = "submit-" + System.nanoTime();
        send(producer, TopicCatalog.PLACEMENT_COMMAND.name(), job, PlacementCommand.newBuilder().setMetadata(meta())
                .setType(PlacementCommandType.SUBMIT).setCommandId(commandId).setJobId(job).setRequestedBy("alice")
                .setSpec(spec).build());
        return await(() -> decisions.stream().filter(d -> d.getCommandId().equals(commandId)).findFirst().orElse(null),
                Duration.ofSeconds(30));
    }

    private List<String> latestNodes(final String job) {
        for (int i = states.size() - 1; i >= 0; i--) {
            if (states.get(i).getJobId().equals(job)) {
                return states.get(i).getAssignedNodeIds();
            }
        }
        return null;
    }

    private String movedFrom(final String job, final String node) {
        final List<String> latest = latestNodes(job);
        return latest != null && !latest.contains(node) ? latest.get(0) : null;
    }

    private PlacementAction action(final String job, final String from) {
        return actions.stream().filter(a -> a.getJobId().equals(job) && a.getFromNodeIds().contains(from))
                .findFirst().orElse(null);
    }

    private Set<String> actors(final String job) {
        return Set.copyOf(actions.stream().filter(a -> a.getJobId().equals(job))
                .map(a -> a.getMetadata().getProducer()).toList());
    }

    private void beat(final KafkaProducer<String, SpecificRecord> producer) {
        for (final String node : beating) {
            producer.send(new ProducerRecord<>(TopicCatalog.NODE_HEARTBEAT.name(), node, Heartbeat.newBuilder()
                    .setMetadata(meta()).setNodeId(node).setSentAt(Instant.now()).setSequence(System.nanoTime())
                    .build()));
        }
    }

    /** Reads job states, decisions and actions of this run (committed only) into the lists the test polls. */
    private void read(final String run) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, SharedPlane.uniqueName("placement-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new org.apache.kafka.common.serialization.StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TopicCatalog.JOB_STATE.name(), TopicCatalog.JOB_DECISION.name(),
                    TopicCatalog.PLACEMENT_ACTION.name()));
            final var stateSerde = TopicCatalog.JOB_STATE.valueSerde(plane.registryClient()).deserializer();
            final var decisionSerde = TopicCatalog.JOB_DECISION.valueSerde(plane.registryClient()).deserializer();
            final var actionSerde = TopicCatalog.PLACEMENT_ACTION.valueSerde(plane.registryClient()).deserializer();
            while (reading) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.key() == null || !record.key().startsWith(run) || record.value() == null) {
                        continue;
                    }
                    if (record.topic().equals(TopicCatalog.JOB_STATE.name())) {
                        states.add(stateSerde.deserialize(record.topic(), record.value()));
                    } else if (record.topic().equals(TopicCatalog.JOB_DECISION.name())) {
                        decisions.add(decisionSerde.deserialize(record.topic(), record.value()));
                    } else {
                        actions.add(actionSerde.deserialize(record.topic(), record.value()));
                    }
                }
            }
        }
    }

    private KafkaProducer<String, SpecificRecord> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers()),
                new StringSerializer(), (topic, value) -> TopicCatalog.all().stream()
                .filter(t -> t.name().equals(topic)).findFirst().orElseThrow()
                .valueSerde(plane.registryClient()).serializer().serialize(topic, cast(value)));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <V> V cast(final Object value) {
        return (V) value;
    }

    private static void send(final KafkaProducer<String, SpecificRecord> producer, final String topic, final String key,
                             final SpecificRecord value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    private static <T> T await(final Supplier<T> probe, final Duration timeout) {
        return org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(probe::get, java.util.Objects::nonNull);
    }

    private static dev.arcturus.avro.EventMetadata meta() {
        return EventMetadatas.newMetadata("test", Clock.systemUTC());
    }
}
