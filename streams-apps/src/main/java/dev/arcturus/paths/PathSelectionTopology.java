package dev.arcturus.paths;

import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.streams.GlobalStoreMirror;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
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
    public static final String CPU_STORE = "path-cpu-global-store";
    /** Last-mile virtual queues, keyed {@code <domain>|<region>|<node>}: they must survive a restart. */
    public static final String QUEUE_STORE = "last-mile-queue-store";

    private PathSelectionTopology() {
    }

    public static Topology build(final SchemaRegistryClient registry, final Duration tick) {
        final Topology topology = new Topology();
        final PathInputChanges changes = new PathInputChanges();
        GlobalStoreMirror.add(topology, "path-links", LINKS_STORE, TopicCatalog.NETWORK_METRIC, registry,
                (key, metric) -> changes.links.add(new PathInputChanges.LinkChange(key, metric)));
        GlobalStoreMirror.add(topology, "path-nodes", NODES_STORE, TopicCatalog.NODE_REGISTRATION, registry,
                changes::nodeChanged);
        GlobalStoreMirror.add(topology, "path-origins", ORIGINS_STORE, TopicCatalog.DOMAIN_ORIGIN, registry,
                (key, origin) -> changes.origins.add(key));
        GlobalStoreMirror.add(topology, "path-cpu", CPU_STORE, TopicCatalog.NODE_CPU_STATS, registry,
                (key, stats) -> changes.cpu.incrementAndGet());
        topology.addSource("routing-policy-source", Serdes.String().deserializer(),
                TopicCatalog.GLOBAL_CONFIG.valueSerde(registry).deserializer(), TopicCatalog.GLOBAL_CONFIG.name());
        topology.addProcessor("path-selection", () -> new PathSelectionProcessor(changes, tick),
                "routing-policy-source");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(QUEUE_STORE), Serdes.String(),
                Serdes.Double()), "path-selection");
        topology.addSink("path-selection-sink", TopicCatalog.PATH_SELECTION.name(), Serdes.String().serializer(),
                TopicCatalog.PATH_SELECTION.valueSerde(registry).serializer(), "path-selection");
        return topology;
    }
}
