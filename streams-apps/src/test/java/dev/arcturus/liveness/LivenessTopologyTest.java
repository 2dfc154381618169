package dev.arcturus.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.Heartbeat;
import dev.arcturus.avro.LivenessState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.SystemInfo;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.registry.client.InMemorySchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.streams.TestDrivers;
import dev.arcturus.testing.DriverTopics;
import dev.arcturus.testing.SampleRecords;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every liveness transition, driven by a controlled wall clock. */
class LivenessTopologyTest {
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    private static final LivenessPolicy POLICY = new LivenessPolicy(Duration.ofSeconds(15), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofMinutes(5), 4, Duration.ofSeconds(1));

    /** A registry in this process: the topology test needs no broker and no registry server. */
    private final SchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, Heartbeat> heartbeats;
    private TestInputTopic<String, SystemInfo> systemInfo;
    private TestInputTopic<String, NodeRegistration> registrations;
    private TestOutputTopic<String, NodeLiveness> liveness;


    @BeforeEach
    void start() {
        driver = TestDrivers.create(LivenessTopology.build(registry, POLICY), stateDir,
                "liveness-ttd", T0);
        heartbeats = DriverTopics.input(driver, TopicCatalog.NODE_HEARTBEAT, registry);
        systemInfo = DriverTopics.input(driver, TopicCatalog.NODE_SYSTEM_INFO, registry);
        registrations = DriverTopics.input(driver, TopicCatalog.NODE_REGISTRATION, registry);
        liveness = DriverTopics.output(driver, TopicCatalog.NODE_LIVENESS, registry);
        advance(6); // past the start-up grace period
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldGoUpOnTheFirstHeartbeatThenSuspectThenDownAsSilenceGrows() {
        beat("n1");
        assertThat(states()).containsExactly(LivenessState.UP);

        advance(14);
        assertThat(states()).as("a beat 14 s late is not yet late enough").isEmpty();
        advance(2);
        assertThat(states()).containsExactly(LivenessState.SUSPECT);
        advance(15);
        final List<NodeLiveness> down = liveness.readValuesToList();
        assertThat(down).extracting(NodeLiveness::getState).containsExactly(LivenessState.DOWN);
        assertThat(down.get(0).getLastActive()).isEqualTo(T0.plusSeconds(6));
        assertThat(down.get(0).getRecentTransitions()).extracting(t -> t.getTo().toString())
                .containsExactly("UP", "SUSPECT", "DOWN");
    }

    @Test
    void shouldComeBackUpOnTheNextHeartbeatWithoutWaitingForATick() {
        beat("n1");
        advance(31);
        liveness.readValuesToList();

        beat("n1");

        final NodeLiveness back = liveness.readValue();
        assertThat(back.getState()).isEqualTo(LivenessState.UP);
        assertThat(back.getSince()).isEqualTo(T0.plusSeconds(37));
    }

    @Test
    void shouldBeDegradedWhenHeartbeatsContinueButTelemetryStops() {
        beat("n1");
        telemetry("n1");
        for (int i = 0; i < 6; i++) {
            advance(10);
            beat("n1");
        }
        assertThat(states()).containsExactly(LivenessState.UP);

        advance(10);
        beat("n1");
        assertThat(states()).containsExactly(LivenessState.DEGRADED);

        telemetry("n1");
        assertThat(states()).containsExactly(LivenessState.UP);
    }

    @Test
    void shouldMarkEveryNodeDownWhenTheWholeFleetFallsSilent() {
        for (int i = 0; i < 50; i++) {
            beat("fleet-" + i);
        }
        liveness.readValuesToList();

        advance(40); // no input at all: only the wall-clock tick can notice

        final List<KeyValue<String, NodeLiveness>> out = liveness.readKeyValuesToList();
        assertThat(out.stream().filter(kv -> kv.value.getState() == LivenessState.DOWN).map(kv -> kv.key).distinct())
                .hasSize(50);
    }

    @Test
    void shouldHoldAFlappingNodeInSuspectAndShowItsFlapCount() {
        beat("n1");
        for (int i = 0; i < 2; i++) {
            advance(16); // SUSPECT
            beat("n1"); // UP again
        }
        liveness.readValuesToList(); // UP, SUSPECT, UP, SUSPECT, UP: four transitions in the window

        advance(16);
        final NodeLiveness suspect = liveness.readValue();
        assertThat(suspect.getState()).isEqualTo(LivenessState.SUSPECT);
        beat("n1");
        assertThat(liveness.isEmpty()).as("flapping: held in SUSPECT instead of bouncing to UP").isTrue();
        assertThat(store().get("n1").getFlapCount()).isGreaterThanOrEqualTo(4);

        for (int i = 0; i < 30; i++) { // keep beating until the transitions age out of the 5-minute window
            advance(10);
            beat("n1");
        }
        assertThat(states()).contains(LivenessState.UP);
    }

    @Test
    void shouldForgetADeregisteredNode() {
        beat("n1");
        liveness.readValuesToList();

        registrations.pipeInput("n1", (NodeRegistration) null);

        final KeyValue<String, NodeLiveness> tombstone = liveness.readKeyValue();
        assertThat(tombstone.key).isEqualTo("n1");
        assertThat(tombstone.value).isNull();
        advance(60);
        assertThat(liveness.isEmpty()).isTrue();
    }

    @Test
    void shouldFlushCoalescedHeartbeatsToTheStoreOnTheTick() {
        beat("n1");
        advance(3);
        beat("n1");
        assertThat(store().get("n1").getLastActive()).as("not yet flushed").isEqualTo(T0.plusSeconds(6));

        advance(1);

        assertThat(store().get("n1").getLastActive()).isEqualTo(T0.plusSeconds(9));
    }

    private org.apache.kafka.streams.state.KeyValueStore<String, NodeLiveness> store() {
        return driver.getKeyValueStore(LivenessTopology.LIVENESS_STORE);
    }

    private void advance(final int seconds) {
        for (int i = 0; i < seconds; i++) {
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }
    }

    private List<LivenessState> states() {
        return liveness.readValuesToList().stream().map(NodeLiveness::getState).toList();
    }

    private void beat(final String node) {
        heartbeats.pipeInput(node, Heartbeat.newBuilder().setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()))
                .setNodeId(node).setSentAt(Instant.now()).setSequence(1).build());
    }

    private void telemetry(final String node) {
        final SystemInfo sample = SampleRecords.sample(SystemInfo.class, 7);
        sample.setNodeId(node);
        systemInfo.pipeInput(node, sample);
    }


    @Test
    void shouldAnswerWhichNodesWereActiveWithinAnyWindow() {
        beat("early");
        advance(20);
        beat("late");
        advance(1); // flush on the tick

        final Instant now = T0.plusSeconds(27);
        assertThat(LivenessQuery.activeWithin(store(), Duration.ofSeconds(5), now))
                .extracting(NodeLiveness::getNodeId).containsExactly("late");
        assertThat(LivenessQuery.activeWithin(store(), Duration.ofSeconds(30), now))
                .extracting(NodeLiveness::getNodeId).containsExactlyInAnyOrder("early", "late");
    }
}
