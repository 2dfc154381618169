package dev.arcturus.placement;

import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.PlacementCommand;
import dev.arcturus.avro.PlacementCommandType;
import dev.arcturus.avro.PlacementJobMemory;
import dev.arcturus.avro.PlacementLeaderState;
import dev.arcturus.avro.PlacementPending;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.topics.AnyRecordSerdes;
import dev.arcturus.serde.AvroSerdes;
import dev.arcturus.topics.CheckedInputs;
import dev.arcturus.streams.GlobalStoreMirror;
import dev.arcturus.streams.ProcessorClock;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;

/**
 * Placement:
 * <pre>
 *   fleet.node.registration.v1, fleet.node.liveness.v1, jobs.job.state.v1 ─▶ global stores (the whole fleet)
 *   jobs.job.decision.v1 ─▶ placement-decision-loop (keeps decisions on placement's own requests) ─┐
 *   gateway (selector jobs) ─────────────────────────────────────────────────────────────────────┴▶ placement.command.v1
 *   placement.command.v1 (1 partition) ─▶ placement-leader (wall-clock tick)
 *        ─▶ jobs.job.command.v1 (SCHEDULE / MODIFY to admission), jobs.job.decision.v1 (answers to callers),
 *           placement.action.v1
 * </pre>
 */
public final class PlacementTopology {
    public static final String NODES_STORE = "placement-nodes-global-store";
    public static final String LIVENESS_STORE = "placement-liveness-global-store";
    public static final String JOBS_STORE = "placement-jobs-global-store";
    public static final String PENDING_STORE = "placement-pending-store";
    public static final String MEMORY_STORE = "placement-job-memory-store";
    public static final String LEADER_STORE = "placement-leader-store";
    static final String LEADER = "placement-leader";
    static final String ADMISSION_SINK = "placement-admission-sink";
    static final String DECISION_SINK = "placement-decision-sink";
    static final String ACTION_SINK = "placement-action-sink";

    private PlacementTopology() {
    }

    public static Topology build(final SchemaRegistryClient registry, final PlacementPolicy policy,
                                 final String instanceId) {
        final Serde<String> keys = Serdes.String();
        final Topology topology = new Topology();
        GlobalStoreMirror.add(topology, "placement-nodes", NODES_STORE, TopicCatalog.NODE_REGISTRATION, registry);
        GlobalStoreMirror.add(topology, "placement-liveness", LIVENESS_STORE, TopicCatalog.NODE_LIVENESS, registry);
        GlobalStoreMirror.add(topology, "placement-jobs", JOBS_STORE, TopicCatalog.JOB_STATE, registry);

        topology.addSource("placement-decisions-source", keys.deserializer(),
                CheckedInputs.deserializer(TopicCatalog.JOB_DECISION, registry), TopicCatalog.JOB_DECISION.name());
        topology.addProcessor("placement-decision-loop", DecisionLoop::new, "placement-decisions-source");
        topology.addSink("placement-decision-loop-sink", TopicCatalog.PLACEMENT_COMMAND.name(), keys.serializer(),
                TopicCatalog.PLACEMENT_COMMAND.valueSerde(registry).serializer(), "placement-decision-loop");

        topology.addSource("placement-command-source", keys.deserializer(),
                CheckedInputs.deserializer(TopicCatalog.PLACEMENT_COMMAND, registry), TopicCatalog.PLACEMENT_COMMAND.name());
        topology.addProcessor(LEADER, () -> new PlacementProcessor(policy, instanceId), "placement-command-source");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_STORE), keys,
                AvroSerdes.forClass(PlacementPending.class, registry)), LEADER);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MEMORY_STORE), keys,
                AvroSerdes.forClass(PlacementJobMemory.class, registry)), LEADER);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LEADER_STORE), keys,
                AvroSerdes.forClass(PlacementLeaderState.class, registry)), LEADER);
        sink(topology, ADMISSION_SINK, TopicCatalog.JOB_COMMAND, registry);
        sink(topology, DECISION_SINK, TopicCatalog.JOB_DECISION, registry);
        sink(topology, ACTION_SINK, TopicCatalog.PLACEMENT_ACTION, registry);
        return topology;
    }

    private static <V extends SpecificRecord> void sink(final Topology topology, final String name,
                                                        final Topic<V> topic, final SchemaRegistryClient registry) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), AnyRecordSerdes.serializer(topic, registry),
                LEADER);
    }

    /**
     * Brings admission's decisions on placement's own requests (command ids {@code placement:…}) into the leader's
     * single partition, in order with everything else it decides on.
     */
    private static final class DecisionLoop implements Processor<String, JobDecision, String, PlacementCommand> {
        private ProcessorContext<String, PlacementCommand> context;
        private ProcessorClock clock;

        @Override
        public void init(final ProcessorContext<String, PlacementCommand> context) {
            this.context = context;
            this.clock = new ProcessorClock(context);
        }

        @Override
        public void process(final Record<String, JobDecision> record) {
            final JobDecision decision = record.value();
            if (decision == null || decision.getJobId() == null
                    || !decision.getCommandId().startsWith(PlacementProcessor.COMMAND_PREFIX)) {
                return;
            }
            final PlacementCommand command = PlacementCommand.newBuilder()
                    .setMetadata(EventMetadatas.newMetadata("placement", clock)).setType(PlacementCommandType.DECISION)
                    .setCommandId(decision.getCommandId()).setJobId(decision.getJobId()).setDecision(decision).build();
            context.forward(record.withKey(decision.getJobId()).withValue(command));
        }
    }
}
