package dev.arcturus.gateway;

import static dev.arcturus.gateway.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.arcturus.avro.LivenessState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.gateway.api.v1.DecisionOutcome;
import dev.arcturus.gateway.api.v1.GetJobRequest;
import dev.arcturus.gateway.api.v1.Job;
import dev.arcturus.gateway.api.v1.JobDecision;
import dev.arcturus.gateway.api.v1.JobSpec;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.ModifyJobRequest;
import dev.arcturus.gateway.api.v1.NodeSelector;
import dev.arcturus.gateway.api.v1.NodeSpec;
import dev.arcturus.gateway.api.v1.PlacementEvent;
import dev.arcturus.gateway.api.v1.RegisterNodeRequest;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.ScheduleJobRequest;
import dev.arcturus.gateway.api.v1.WatchRequest;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.testing.SharedPlane;
import dev.arcturus.topics.TopicCatalog;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Selector jobs through the gateway: placement picks the nodes, the caller gets one answer, a modification keeps
 * the placement, the selector itself can't change, and the action shows on the placement watch. The test plays the
 * liveness app (its own tests cover it) by writing UP records.
 */
class GatewayPlacementTest {
    private static final Instant DAY = Instant.parse("2030-01-01T00:00:00Z");
    private final GatewayFixture gateway = GatewayFixture.instance();

    @Test
    void aSelectorJobIsPlacedOnUpNodesAndKeepsItsPlacementThroughAModification() throws Exception {
        final String region = unique("region");
        final List<String> nodes = List.of(region + "-a", region + "-b", region + "-c");
        for (final String node : nodes) {
            gateway.nodes(gateway.adminToken()).registerNode(RegisterNodeRequest.newBuilder().setNode(NodeSpec
                    .newBuilder().setId(node).setIp("10.0.0.1").setRegion(region).setName(node).setRole(Role.NODE)
                    .addTags("starlink")).build());
        }
        markUp(nodes.subList(0, 2)); // c never heartbeats: not a candidate
        final String alice = unique("alice");
        final String token = gateway.newUser(alice, Role.USER);
        final List<PlacementEvent> events = new CopyOnWriteArrayList<>();
        gateway.jobsAsync(token).watchPlacementActions(WatchRequest.getDefaultInstance(), GatewayFixture.collect(events));

        final String jobId = unique("placed");
        final JobSpec spec = JobSpec.newBuilder().setId(jobId).setType(JobType.CRON).setSchedule("0 * * * *")
                .setStart(Timestamps.of(DAY)).setEnd(Timestamps.of(DAY.plus(Duration.ofDays(1))))
                .setLengthSeconds(600).setExclusive(true)
                .setSelector(NodeSelector.newBuilder().setRegion(region).addTags("starlink").setCount(2)).build();
        final JobDecision decision = scheduleOnceUp(token, spec);
        assertThat(decision.getOutcome()).as(decision.getReason()).isEqualTo(DecisionOutcome.ACCEPTED);
        assertThat(decision.getJob().getAssignedNodeIdsList()).containsExactly(nodes.get(0), nodes.get(1));
        assertThat(decision.getJob().getSpec().getSelector().getCount()).isEqualTo(2);

        final JobDecision modified = gateway.jobs(token).modifyJob(ModifyJobRequest.newBuilder()
                .setJob(spec.toBuilder().setSchedule("30 * * * *")).build());
        assertThat(modified.getOutcome()).as(modified.getReason()).isEqualTo(DecisionOutcome.ACCEPTED);
        final Job after = gateway.jobs(token).getJob(GetJobRequest.newBuilder().setId(jobId).build());
        assertThat(after.getAssignedNodeIdsList()).containsExactly(nodes.get(0), nodes.get(1));
        assertThat(after.getSpec().getSchedule()).isEqualTo("30 * * * *");

        assertThatThrownBy(() -> gateway.jobs(token).modifyJob(ModifyJobRequest.newBuilder().setJob(spec.toBuilder()
                .setSelector(spec.getSelector().toBuilder().setCount(1))).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("job.selector:");
                });
        assertThatThrownBy(() -> gateway.jobs(token).scheduleJob(ScheduleJobRequest.newBuilder().setJob(spec.toBuilder()
                .setId(unique("both")).setNodeId(nodes.get(0))).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription()).startsWith("job.node_id:"));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> events.stream().anyMatch(e -> e.getAction().getJobId().equals(jobId)));
        assertThat(events).filteredOn(e -> e.getAction().getJobId().equals(jobId)).singleElement()
                .satisfies(e -> {
                    assertThat(e.getAction().getType()).isEqualTo("PLACE");
                    assertThat(e.getAction().getToNodeIdsList()).containsExactly(nodes.get(0), nodes.get(1));
                });
    }

    /** Placement reads liveness through its own global store, so the first answers may still see no UP node. */
    private JobDecision scheduleOnceUp(final String token, final JobSpec spec) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> gateway.jobs(token).scheduleJob(ScheduleJobRequest.newBuilder().setJob(spec).build()),
                        d -> d.getOutcome() == DecisionOutcome.ACCEPTED || !d.getReason().startsWith("selector:"));
    }

    private static void markUp(final List<String> nodes) throws Exception {
        final SharedPlane plane = SharedPlane.instance();
        try (KafkaProducer<String, NodeLiveness> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers()), new StringSerializer(),
                TopicCatalog.NODE_LIVENESS.valueSerde(plane.registryClient()).serializer())) {
            for (final String node : nodes) {
                producer.send(new ProducerRecord<>(TopicCatalog.NODE_LIVENESS.name(), node, NodeLiveness.newBuilder()
                        .setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC())).setNodeId(node)
                        .setState(LivenessState.UP).setLastActive(Instant.now()).setSince(Instant.now()).build())).get();
            }
        }
    }
}
