package dev.arcturus.network;

import dev.arcturus.avro.LinkState;
import dev.arcturus.avro.NetworkMetric;
import dev.arcturus.avro.NodeCpuStats;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.serde.ConfluentWireFormat;
import dev.arcturus.streams.StreamsAppRunner;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/** Runs the network-metrics topology; scale with more instances of the same application id (up to 6). */
public final class NetworkMetricsApp implements AutoCloseable {
    public static final String DEFAULT_APPLICATION_ID = "arcturus-network-metrics";

    private final StreamsAppRunner runner;

    private NetworkMetricsApp(final StreamsAppRunner runner) {
        this.runner = runner;
    }

    public static NetworkMetricsApp start(final String applicationId, final PlaneEndpoints endpoints,
                                          final Path stateDir, final NetworkMetricsPolicy policy,
                                          final Duration timeout) {
        final SchemaRegistryClient registry = endpoints.registryClient();
        final Map<String, org.apache.avro.Schema> subjects = Map.of(
                ConfluentWireFormat.valueSubject(TopicCatalog.NODE_CPU_STATS.name()), NodeCpuStats.getClassSchema(),
                ConfluentWireFormat.valueSubject(TopicCatalog.NETWORK_METRIC.name()), NetworkMetric.getClassSchema(),
                StreamsAppRunner.changelogSubject(applicationId, NetworkMetricsTopology.CPU_WINDOW_STORE),
                NodeCpuStats.getClassSchema(),
                StreamsAppRunner.changelogSubject(applicationId, NetworkMetricsTopology.LINK_STORE),
                LinkState.getClassSchema());
        return new NetworkMetricsApp(StreamsAppRunner.start(NetworkMetricsTopology.build(registry, policy),
                StreamsAppRunner.baseProperties(applicationId, endpoints, stateDir, 100, 1), endpoints, subjects,
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
