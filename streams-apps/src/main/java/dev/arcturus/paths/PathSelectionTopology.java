package dev.arcturus.paths;

import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Path selection:
 * <pre>
 *   network.link.metric.v1, fleet.node.registration.v1, network.domain.origin.v1 ─▶ global stores (whole graph)
 *   config.global.v1 (1 partition: routing policy) ─▶ path-selection (one task, wall-clock tick)
 *                                                    ─▶ network.path.selection.v1 (key region|domain)
 * </pre>
 */
public final class PathSelectionTopology {
    public static final String LINKS_STORE = "path-links-global-store";
    public static final String NODES_STORE = "path-nodes-global-store";
    public static final String ORIGINS_STORE = "path-origins-global-store";

    private PathSelectionTopology() {
    }

    public static Topology build(final SchemaRegistryClient registry, final Duration tick, final AtomicLong graphVersion) {
        final Topology topology = new Topology();
        global(topology, "path-links", LINKS_STORE, TopicCatalog.NETWORK_METRIC, registry, graphVersion);
        global(topology, "path-nodes", NODES_STORE, TopicCatalog.NODE_REGISTRATION, registry, graphVersion);
        global(topology, "path-origins", ORIGINS_STORE, TopicCatalog.DOMAIN_ORIGIN, registry, graphVersion);
        topology.addSource("routing-policy-source", Serdes.String().deserializer(),
                TopicCatalog.GLOBAL_CONFIG.valueSerde(registry).deserializer(), TopicCatalog.GLOBAL_CONFIG.name());
        topology.addProcessor("path-selection", () -> new PathSelectionProcessor(graphVersion, tick),
                "routing-policy-source");
        topology.addSink("path-selection-sink", TopicCatalog.PATH_SELECTION.name(), Serdes.String().serializer(),
                TopicCatalog.PATH_SELECTION.valueSerde(registry).serializer(), "path-selection");
        return topology;
    }

    private static <V extends SpecificRecord> void global(final Topology topology, final String name, final String store,
                                                          final Topic<V> topic, final SchemaRegistryClient registry,
                                                          final AtomicLong graphVersion) {
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
                        topic.valueSerde(registry)).withLoggingDisabled(),
                name + "-source", Serdes.String().deserializer(), topic.valueSerde(registry).deserializer(), topic.name(),
                name + "-updater", () -> new GraphUpdater<V>(store, graphVersion));
    }

    /** Mirrors a compacted topic into its global store and bumps the graph version so the next tick recomputes. */
    private static final class GraphUpdater<V> implements Processor<String, V, Void, Void> {
        private final String storeName;
        private final AtomicLong graphVersion;
        private KeyValueStore<String, V> store;

        GraphUpdater(final String storeName, final AtomicLong graphVersion) {
            this.storeName = storeName;
            this.graphVersion = graphVersion;
        }

        @Override
        public void init(final ProcessorContext<Void, Void> context) {
            store = context.getStateStore(storeName);
        }

        @Override
        public void process(final Record<String, V> record) {
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
            graphVersion.incrementAndGet();
        }
    }
}
