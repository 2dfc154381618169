package dev.arcturus.placement;

import dev.arcturus.avro.PlacementJobMemory;
import dev.arcturus.avro.PlacementLeaderState;
import dev.arcturus.avro.PlacementPending;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.serde.ConfluentWireFormat;
import dev.arcturus.streams.StreamsAppRunner;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Runs the placement topology. Any number of instances may run with the same application id: the leader is whichever
 * instance owns the single partition of {@code placement.command.v1}; the others only keep their global stores warm
 * and take over (from the changelogged state) when the leader leaves or dies. {@link #close()} is the stop handle: it
 * finishes the current tick's transaction and leaves the group, so the next leader starts at once.
 */
public final class PlacementApp implements AutoCloseable {
    public static final String DEFAULT_APPLICATION_ID = "arcturus-placement";

    private final StreamsAppRunner runner;

    private PlacementApp(final StreamsAppRunner runner) {
        this.runner = runner;
    }

    public static PlacementApp start(final String applicationId, final PlaneEndpoints endpoints, final Path stateDir,
                                     final PlacementPolicy policy, final String instanceId, final Duration timeout) {
        final SchemaRegistryClient registry = endpoints.registryClient();
        final Properties props = StreamsAppRunner.baseProperties(applicationId, endpoints, stateDir, 100, 1);
        return new PlacementApp(StreamsAppRunner.start(PlacementTopology.build(registry, policy, instanceId), props,
                endpoints, writtenSchemas(applicationId), timeout));
    }

    private static Map<String, Schema> writtenSchemas(final String applicationId) {
        final Map<String, Schema> subjects = new LinkedHashMap<>();
        for (final Topic<?> topic : List.of(TopicCatalog.JOB_COMMAND, TopicCatalog.JOB_DECISION,
                TopicCatalog.PLACEMENT_ACTION, TopicCatalog.PLACEMENT_COMMAND)) {
            subjects.put(ConfluentWireFormat.valueSubject(topic.name()), topic.valueSchema());
        }
        subjects.put(StreamsAppRunner.changelogSubject(applicationId, PlacementTopology.PENDING_STORE),
                PlacementPending.getClassSchema());
        subjects.put(StreamsAppRunner.changelogSubject(applicationId, PlacementTopology.MEMORY_STORE),
                PlacementJobMemory.getClassSchema());
        subjects.put(StreamsAppRunner.changelogSubject(applicationId, PlacementTopology.LEADER_STORE),
                PlacementLeaderState.getClassSchema());
        return subjects;
    }

    public KafkaStreams streams() {
        return runner.streams();
    }

    @Override
    public void close() {
        runner.close();
    }
}
