package dev.arcturus.liveness;

import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.topics.AnyRecordSerdes;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Liveness: heartbeats, system info, probe rounds and registrations (all keyed by nodeId, co-partitioned) into one
 * processor with one store; transitions out to the compacted {@code fleet.node.liveness.v1}.
 */
public final class LivenessTopology {
    /** nodeId → NodeLiveness: the last flushed view of each node. */
    public static final String LIVENESS_STORE = "node-liveness-store";
    static final String PROCESSOR = "node-liveness";

    private LivenessTopology() {
    }

    public static Topology build(final SchemaRegistryClient registry, final LivenessPolicy policy) {
        final Topology topology = new Topology();
        final String[] sources = {
            source(topology, "heartbeat-source", TopicCatalog.NODE_HEARTBEAT, registry),
            source(topology, "system-info-source", TopicCatalog.NODE_SYSTEM_INFO, registry),
            source(topology, "probe-source", TopicCatalog.REGION_PROBE, registry),
            source(topology, "registration-source", TopicCatalog.NODE_REGISTRATION, registry),
        };
        topology.addProcessor(PROCESSOR, () -> new LivenessProcessor(policy), sources);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LIVENESS_STORE),
                Serdes.String(), TopicCatalog.NODE_LIVENESS.valueSerde(registry)), PROCESSOR);
        topology.addSink("liveness-sink", TopicCatalog.NODE_LIVENESS.name(), Serdes.String().serializer(),
                TopicCatalog.NODE_LIVENESS.valueSerde(registry).serializer(), PROCESSOR);
        return topology;
    }

    private static <V extends SpecificRecord> String source(final Topology topology, final String name,
                                                            final Topic<V> topic, final SchemaRegistryClient registry) {
        topology.addSource(name, Serdes.String().deserializer(),
                AnyRecordSerdes.deserializer(topic, registry), topic.name());
        return name;
    }

}
