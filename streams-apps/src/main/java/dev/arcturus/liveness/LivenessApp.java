package dev.arcturus.liveness;

import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.serde.ConfluentWireFormat;
import dev.arcturus.streams.StreamsAppRunner;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Runs the liveness topology. Scale with more instances of the same application id (up to 6, the node topics'
 * partitions); a partition's new owner waits out the grace period before it marks anything worse.
 */
public final class LivenessApp implements AutoCloseable {
    public static final String DEFAULT_APPLICATION_ID = "arcturus-liveness";

    private final StreamsAppRunner runner;

    private LivenessApp(final StreamsAppRunner runner) {
        this.runner = runner;
    }

    public static LivenessApp start(final String applicationId, final PlaneEndpoints endpoints, final Path stateDir,
                                    final LivenessPolicy policy, final Duration timeout) {
        final SchemaRegistryClient registry = endpoints.registryClient();
        final Properties props = StreamsAppRunner.baseProperties(applicationId, endpoints, stateDir, 100, 1);
        final Map<String, org.apache.avro.Schema> subjects = Map.of(
                ConfluentWireFormat.valueSubject(TopicCatalog.NODE_LIVENESS.name()), NodeLiveness.getClassSchema(),
                StreamsAppRunner.changelogSubject(applicationId, LivenessTopology.LIVENESS_STORE),
                NodeLiveness.getClassSchema());
        return new LivenessApp(StreamsAppRunner.start(LivenessTopology.build(registry, policy), props, endpoints,
                subjects, timeout));
    }

    public KafkaStreams streams() {
        return runner.streams();
    }

    @Override
    public void close() {
        runner.close();
    }
}
