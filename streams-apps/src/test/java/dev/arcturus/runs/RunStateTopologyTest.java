package dev.arcturus.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.JobKind;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.JobStatus;
import dev.arcturus.avro.RunState;
import dev.arcturus.avro.RunStatus;
import dev.arcturus.avro.RunUpdate;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.registry.client.InMemorySchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.streams.TestDrivers;
import dev.arcturus.testing.DriverTopics;
import dev.arcturus.topics.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run updates fold into one state per run: forward only, duplicates ignored, artifacts kept. */
class RunStateTopologyTest {
    /** A registry in this process: the topology test needs no broker and no registry server. */
    private final SchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    @TempDir
    Path stateDir;


    @Test
    void shouldFoldUpdatesForwardOnlyAndIgnoreDuplicates() {
        try (TopologyTestDriver driver = TestDrivers.create(RunStateTopology.build(registry), stateDir, "run-state",
                Instant.parse("2026-11-22T10:00:00Z"))) {
            final TestInputTopic<String, RunUpdate> updates = DriverTopics.input(driver, TopicCatalog.RUN_UPDATE, registry);
            final TestOutputTopic<String, RunState> states = DriverTopics.output(driver, TopicCatalog.RUN_STATE, registry);

            final RunUpdate deploying = update(RunStatus.DEPLOYING, null);
            updates.pipeInput("run-1", deploying);
            updates.pipeInput("run-1", deploying); // redelivered
            updates.pipeInput("run-1", update(RunStatus.EXECUTING, null));
            // sent again under a new event id (a node retrying a report the gateway had taken before it died)
            updates.pipeInput("run-1", update(RunStatus.EXECUTING, null));
            updates.pipeInput("run-1", update(RunStatus.COMPLETED, "https://blob/run-1.zip"));
            updates.pipeInput("run-1", update(RunStatus.EXECUTING, null)); // late progress after the end

            final Map<String, RunState> latest = states.readKeyValuesToMap();
            assertThat(latest.get("run-1").getStatus()).isEqualTo(RunStatus.COMPLETED);
            assertThat(latest.get("run-1").getArtifactBlob()).isEqualTo("https://blob/run-1.zip");
            assertThat(latest.get("run-1").getUpdateCount()).isEqualTo(3);
            assertThat(latest.get("run-1").getStartedAt()).isEqualTo(Instant.parse("2026-11-22T10:00:01Z"));
        }
    }

    @Test
    void shouldTakeTheOwnerFromTheJobAndDeadLetterAnUpdateClaimingAnotherOwner() {
        try (TopologyTestDriver driver = TestDrivers.create(RunStateTopology.build(registry), stateDir, "run-state",
                Instant.parse("2026-11-22T10:00:00Z"))) {
            final TestInputTopic<String, RunUpdate> updates = DriverTopics.input(driver, TopicCatalog.RUN_UPDATE, registry);
            final TestInputTopic<String, JobState> jobs = DriverTopics.input(driver, TopicCatalog.JOB_STATE, registry);
            final TestOutputTopic<String, RunState> states = DriverTopics.output(driver, TopicCatalog.RUN_STATE, registry);
            jobs.pipeInput("job-1", job("job-1", "alice"));

            // The record may leave the owner out; the job supplies it.
            updates.pipeInput("run-1", RunUpdate.newBuilder(update(RunStatus.DEPLOYING, null)).setOwnerId("").build());
            assertThat(states.readKeyValuesToMap().get("run-1").getOwnerId()).isEqualTo("alice");

            // A forged owner: refused with the reason, the run unchanged.
            updates.pipeInput("run-1", RunUpdate.newBuilder(update(RunStatus.COMPLETED, "https://blob/x.zip"))
                    .setOwnerId("mallory").build());
            assertThat(states.isEmpty()).isTrue();
            assertThat(deadLetterReasons(driver)).singleElement().asString()
                    .contains("ownerId: 'mallory' is not the owner of job job-1");

            // A run of a job never seen belongs to no one (ADMINs and its node still see it), whatever it claims.
            updates.pipeInput("run-2", RunUpdate.newBuilder(update(RunStatus.DEPLOYING, null)).setRunId("run-2")
                    .setJobId("job-unknown").setOwnerId("mallory").build());
            assertThat(states.readKeyValuesToMap().get("run-2").getOwnerId()).isEmpty();
        }
    }

    private static JobState job(final String jobId, final String owner) {
        return JobState.newBuilder().setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()))
                .setJobId(jobId).setVersion(1).setStatus(JobStatus.ACTIVE)
                .setSpec(JobSpec.newBuilder().setJobId(jobId).setOwner(owner).setKind(JobKind.ONE_SHOT)
                        .setTargetNodeId("node-1").setWindowStart(Instant.parse("2026-11-22T10:00:00Z"))
                        .setWindowEnd(Instant.parse("2026-11-22T11:00:00Z")).setLengthSeconds(60).build())
                .build();
    }

    private static List<String> deadLetterReasons(final TopologyTestDriver driver) {
        return driver.producedTopicNames().stream().filter(t -> t.endsWith(".dlq")).findFirst()
                .map(dlq -> driver.createOutputTopic(dlq, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                        .readRecordsToList().stream().map(r -> new String(
                                r.getHeaders().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8))
                        .toList())
                .orElse(List.of());
    }

    private static RunUpdate update(final RunStatus status, final String blob) {
        return RunUpdate.newBuilder().setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()))
                .setRunId("run-1").setJobId("job-1").setNodeId("node-1").setOwnerId("alice")
                .setScheduledAt(Instant.parse("2026-11-22T10:00:00Z")).setServerSide(false).setStatus(status)
                .setStartedAt(status == RunStatus.DEPLOYING ? Instant.parse("2026-11-22T10:00:01Z") : null)
                .setArtifactBlob(blob).build();
    }
}
