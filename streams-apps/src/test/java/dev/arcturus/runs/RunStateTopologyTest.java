package dev.arcturus.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.RunState;
import dev.arcturus.avro.RunStatus;
import dev.arcturus.avro.RunUpdate;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.registry.client.InMemorySchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.streams.TestDrivers;
import dev.arcturus.testing.DriverTopics;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
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
            updates.pipeInput("run-1", update(RunStatus.COMPLETED, "https://blob/run-1.zip"));
            updates.pipeInput("run-1", update(RunStatus.EXECUTING, null)); // late progress after the end

            final Map<String, RunState> latest = states.readKeyValuesToMap();
            assertThat(latest.get("run-1").getStatus()).isEqualTo(RunStatus.COMPLETED);
            assertThat(latest.get("run-1").getArtifactBlob()).isEqualTo("https://blob/run-1.zip");
            assertThat(latest.get("run-1").getUpdateCount()).isEqualTo(3);
            assertThat(latest.get("run-1").getStartedAt()).isEqualTo(Instant.parse("2026-11-22T10:00:01Z"));
        }
    }

    private static RunUpdate update(final RunStatus status, final String blob) {
        return RunUpdate.newBuilder().setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()))
                .setRunId("run-1").setJobId("job-1").setNodeId("node-1").setOwnerId("alice")
                .setScheduledAt(Instant.parse("2026-11-22T10:00:00Z")).setServerSide(false).setStatus(status)
                .setStartedAt(status == RunStatus.DEPLOYING ? Instant.parse("2026-11-22T10:00:01Z") : null)
                .setArtifactBlob(blob).build();
    }
}
