package dev.arcturus.runs;

import dev.arcturus.avro.RunState;
import dev.arcturus.avro.RunUpdate;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.streams.GlobalStoreMirror;
import dev.arcturus.topics.CheckedInputs;
import dev.arcturus.topics.TopicCatalog;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Folds run updates (keyed by run id) into the current state of each run. A run's owner comes from its job
 * ({@link RunOwners}), never from the update: whoever can write an update cannot hand a run to someone else.
 */
public final class RunStateTopology {
    public static final String SOURCE = "run-update-source";
    public static final String PROCESSOR = "run-state-fold";
    public static final String STORE = "run-state-store";
    public static final String SINK = "run-state-sink";
    /** Every job's current state, for the owner of its runs. */
    public static final String JOBS_STORE = "run-state-jobs-store";

    private RunStateTopology() {
    }

    public static Topology build(final SchemaRegistryClient registry) {
        final Topology topology = new Topology();
        topology.addSource(SOURCE, TopicCatalog.RUN_UPDATE.keySerde().deserializer(),
                CheckedInputs.deserializer(TopicCatalog.RUN_UPDATE, registry), TopicCatalog.RUN_UPDATE.name());
        topology.addProcessor(PROCESSOR, RunStateFold::new, SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                TopicCatalog.RUN_STATE.valueSerde(registry)), PROCESSOR);
        GlobalStoreMirror.add(topology, "run-state-jobs", JOBS_STORE, TopicCatalog.JOB_STATE, registry);
        topology.addSink(SINK, TopicCatalog.RUN_STATE.name(), TopicCatalog.RUN_STATE.keySerde().serializer(),
                TopicCatalog.RUN_STATE.valueSerde(registry).serializer(), PROCESSOR);
        return topology;
    }

    /** Applies each update to the stored state and forwards the state when it changed. */
    static final class RunStateFold implements Processor<String, RunUpdate, String, RunState> {
        private ProcessorContext<String, RunState> context;
        private KeyValueStore<String, RunState> states;
        private RunOwners owners;

        @Override
        public void init(final ProcessorContext<String, RunState> context) {
            this.context = context;
            this.states = context.getStateStore(STORE);
            this.owners = new RunOwners(context.getStateStore(JOBS_STORE));
        }

        @Override
        public void process(final Record<String, RunUpdate> record) {
            if (record.value() == null || record.key() == null) {
                return; // an event topic carries no tombstones
            }
            final RunState current = states.get(record.key());
            final RunState next = RunStateRules.apply(current, record.value(), owners.ownerOf(record.value(), current));
            if (next != null) {
                states.put(record.key(), next);
                context.forward(record.withValue(next));
            }
        }
    }
}
