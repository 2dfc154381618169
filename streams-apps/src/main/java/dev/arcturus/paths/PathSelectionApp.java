package dev.arcturus.paths;

import dev.arcturus.avro.PathSelection;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Runs path selection. Every instance mirrors the whole graph (global stores); the instance that owns the global
 * config's single partition computes, and another takes over if it stops.
 */
public final class PathSelectionApp implements AutoCloseable {
    public static final String DEFAULT_APPLICATION_ID = "arcturus-path-selection";
    /** How often a changed graph or policy is recomputed at most. */
    public static final Duration DEFAULT_TICK = Duration.ofMillis(200);

    private final StreamsAppRunner runner;

    private PathSelectionApp(final StreamsAppRunner runner) {
        this.runner = runner;
    }

    public static PathSelectionApp start(final String applicationId, final PlaneEndpoints endpoints, final Path stateDir,
                                         final Duration tick, final Duration timeout) {
        final SchemaRegistryClient registry = endpoints.registryClient();
        final Properties props = StreamsAppRunner.baseProperties(applicationId, endpoints, stateDir, 100, 1);
        // A full recompute runs inside one transaction and takes minutes on a 1,000-node full mesh (bench paths):
        // let the transaction and the poll loop outlast it rather than be fenced half way.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 900_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), 900_000);
        return new PathSelectionApp(StreamsAppRunner.start(
                PathSelectionTopology.build(registry, tick), props, endpoints,
                Map.of(ConfluentWireFormat.valueSubject(TopicCatalog.PATH_SELECTION.name()), PathSelection.getClassSchema()),
                timeout));
    }

    public KafkaStreams streams() {
        return runner.streams();
    }

    @Override
    public void close() {
        runner.close();
    }
}
