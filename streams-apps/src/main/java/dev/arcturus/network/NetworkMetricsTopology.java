package dev.arcturus.network;

import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.topics.CheckedInputs;
import dev.arcturus.streams.GlobalStoreMirror;
import dev.arcturus.topics.TopicCatalog;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Network metrics (the seed's {@code network_metrics}):
 * <pre>
 *   fleet.node.system-info.v1 ─▶ cpu-stats (nodeId) ─▶ network.node.cpu-stats.v1 ─▶ global store (every instance)
 *   network.region.probe.v1 ─▶ links (prober nodeId, reads the global store) ─▶ network.link.metric.v1
 * </pre>
 * Ranking a destination's CPU needs the whole fleet's statistics, hence the global store; each pair's samples and
 * virtual queues stay with its prober's partition, the single writer of that pair.
 */
public final class NetworkMetricsTopology {
    public static final String CPU_WINDOW_STORE = "cpu-window-store";
    public static final String CPU_STATS_GLOBAL_STORE = "cpu-stats-global-store";
    public static final String LINK_STORE = "link-store";

    private NetworkMetricsTopology() {
    }

    public static Topology build(final SchemaRegistryClient registry, final NetworkMetricsPolicy policy) {
        final Topology topology = new Topology();
        topology.addSource("system-info-source", Serdes.String().deserializer(),
                CheckedInputs.deserializer(TopicCatalog.NODE_SYSTEM_INFO, registry), TopicCatalog.NODE_SYSTEM_INFO.name());
        topology.addProcessor("cpu-stats", () -> new CpuStatsProcessor(policy.cpuSamples()), "system-info-source");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CPU_WINDOW_STORE),
                Serdes.String(), TopicCatalog.NODE_CPU_STATS.valueSerde(registry)), "cpu-stats");
        topology.addSink("cpu-stats-sink", TopicCatalog.NODE_CPU_STATS.name(), Serdes.String().serializer(),
                TopicCatalog.NODE_CPU_STATS.valueSerde(registry).serializer(), "cpu-stats");

        GlobalStoreMirror.add(topology, "cpu-stats-global", CPU_STATS_GLOBAL_STORE, TopicCatalog.NODE_CPU_STATS,
                registry);

        topology.addSource("probe-source", Serdes.String().deserializer(),
                CheckedInputs.deserializer(TopicCatalog.REGION_PROBE, registry), TopicCatalog.REGION_PROBE.name());
        topology.addProcessor("links", () -> new LinkProcessor(policy), "probe-source");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LINK_STORE),
                Serdes.String(), dev.arcturus.serde.AvroSerdes.forClass(dev.arcturus.avro.LinkState.class, registry)),
                "links");
        topology.addSink("link-metric-sink", TopicCatalog.NETWORK_METRIC.name(), Serdes.String().serializer(),
                TopicCatalog.NETWORK_METRIC.valueSerde(registry).serializer(), "links");
        return topology;
    }
}
