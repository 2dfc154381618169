package dev.arcturus.runs;

import dev.arcturus.avro.RunState;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.serde.ConfluentWireFormat;
import dev.arcturus.streams.StreamsAppRunner;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Runs the run-state fold: {@code runs.run.update.v1} → {@code runs.run.state.v1}. */
public final class RunStateApp implements AutoCloseable {
    public static final String DEFAULT_APPLICATION_ID = "arcturus-run-state";

    private final StreamsAppRunner runner;

    private RunStateApp(final StreamsAppRunner runner) {
        this.runner = runner;
    }

    public static RunStateApp start(final String applicationId, final PlaneEndpoints endpoints, final Path stateDir,
                                    final Duration timeout) {
        final SchemaRegistryClient registry = endpoints.registryClient();
        return new RunStateApp(StreamsAppRunner.start(RunStateTopology.build(registry),
                StreamsAppRunner.baseProperties(applicationId, endpoints, stateDir, 100, 1), endpoints,
                Map.of(ConfluentWireFormat.valueSubject(TopicCatalog.RUN_STATE.name()), RunState.getClassSchema(),
                        StreamsAppRunner.changelogSubject(applicationId, RunStateTopology.STORE),
                        RunState.getClassSchema()),
                timeout));
    }

    public org.apache.kafka.streams.KafkaStreams streams() {
        return runner.streams();
    }

    @Override
    public void close() {
        runner.close();
    }
}
