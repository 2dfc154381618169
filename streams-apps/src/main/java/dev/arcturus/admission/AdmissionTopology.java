package dev.arcturus.admission;

import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.serde.AvroSerdes;
import dev.arcturus.streams.GlobalStoreMirror;
import dev.arcturus.topics.AnyRecordSerdes;
import dev.arcturus.topics.CheckedInputs;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Job admission as a Processor-API topology. Two sub-topologies, connected by two internal topics:
 * <pre>
 *   jobs.job.command.v1 ─┐                            ┌─▶ jobs.job.decision.v1, jobs.job.state.v1
 *   jobs.admission.result.v1 ─▶ job-router (jobId) ──┴─▶ jobs.admission.node-step.v1
 *   jobs.admission.node-step.v1 ─┐
 *   fleet.node.registration.v1 ──┴▶ node-calendar (nodeId) ─▶ node-step, result, decision, command (delete-all)
 * </pre>
 * Every source, processor, sink and store is named explicitly.
 */
public final class AdmissionTopology {
    private AdmissionTopology() {
    }

    public static Topology build(final SchemaRegistryClient registry, final AdmissionConfig config) {
        final Serde<String> keys = Serdes.String();
        final Topology topology = new Topology();

        topology.addSource(AdmissionStores.COMMAND_SOURCE, keys.deserializer(),
                AnyRecordSerdes.deserializer(TopicCatalog.JOB_COMMAND, registry), TopicCatalog.JOB_COMMAND.name());
        topology.addSource(AdmissionStores.RESULT_SOURCE, keys.deserializer(),
                AnyRecordSerdes.deserializer(TopicCatalog.ADMISSION_RESULT, registry), TopicCatalog.ADMISSION_RESULT.name());
        topology.addProcessor(AdmissionStores.JOB_ROUTER, () -> new JobRouter(config.decisionRetention()),
                AdmissionStores.COMMAND_SOURCE, AdmissionStores.RESULT_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AdmissionStores.JOB_LEDGER_STORE), keys,
                AvroSerdes.forClass(dev.arcturus.avro.JobLedger.class, registry)), AdmissionStores.JOB_ROUTER);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AdmissionStores.COMMAND_DECISION_STORE), keys,
                AvroSerdes.forClass(dev.arcturus.avro.JobDecision.class, registry)), AdmissionStores.JOB_ROUTER);

        topology.addSource(AdmissionStores.STEP_SOURCE, keys.deserializer(),
                CheckedInputs.deserializer(TopicCatalog.ADMISSION_NODE_STEP, registry),
                TopicCatalog.ADMISSION_NODE_STEP.name());
        topology.addSource(AdmissionStores.REGISTRATION_SOURCE, keys.deserializer(),
                CheckedInputs.deserializer(TopicCatalog.NODE_REGISTRATION, registry),
                TopicCatalog.NODE_REGISTRATION.name());
        topology.addProcessor(AdmissionStores.NODE_CALENDAR,
                () -> new NodeCalendarProcessor(config.maxConflicts(), config.maxCachedRuns()),
                AdmissionStores.STEP_SOURCE);
        topology.addProcessor(AdmissionStores.NODE_REGISTRATIONS, NodeRegistrationProcessor::new,
                AdmissionStores.REGISTRATION_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AdmissionStores.NODE_CALENDAR_STORE), keys,
                AvroSerdes.forClass(dev.arcturus.avro.NodeCalendarState.class, registry)),
                AdmissionStores.NODE_CALENDAR, AdmissionStores.NODE_REGISTRATIONS);

        // Who is an ADMIN, for the requester check (CommandAuthority).
        GlobalStoreMirror.add(topology, AdmissionStores.USERS, AdmissionStores.USERS_STORE, TopicCatalog.USER, registry);

        sink(topology, AdmissionStores.DECISION_SINK, TopicCatalog.JOB_DECISION, registry, AdmissionStores.JOB_ROUTER);
        sink(topology, AdmissionStores.STATE_SINK, TopicCatalog.JOB_STATE, registry, AdmissionStores.JOB_ROUTER);
        sink(topology, AdmissionStores.STEP_SINK, TopicCatalog.ADMISSION_NODE_STEP, registry,
                AdmissionStores.JOB_ROUTER, AdmissionStores.NODE_CALENDAR);
        sink(topology, AdmissionStores.RESULT_SINK, TopicCatalog.ADMISSION_RESULT, registry, AdmissionStores.NODE_CALENDAR);
        sink(topology, AdmissionStores.COMMAND_SINK, TopicCatalog.JOB_COMMAND, registry, AdmissionStores.NODE_CALENDAR);
        sink(topology, AdmissionStores.NODE_DECISION_SINK, TopicCatalog.JOB_DECISION, registry,
                AdmissionStores.NODE_CALENDAR);

        // Requests from clients' own topics (jobs.request.<principal>), stamped with the principal the topic proves
        // and relayed to the command topic, where they are decided like every command. Its own sub-topology: the
        // request topics need not be co-partitioned with anything.
        // Decoded only: a client may leave requestedBy (and a new job's owner) to the stamp; the relayed command is
        // checked in full where the command topic is read.
        topology.addSource(AdmissionStores.REQUEST_SOURCE, keys.deserializer(),
                TopicCatalog.JOB_COMMAND.valueSerde(registry).deserializer(), ClientRequests.TOPICS);
        topology.addProcessor(AdmissionStores.REQUEST_RELAY, ClientRequests.Relay::new, AdmissionStores.REQUEST_SOURCE);
        sink(topology, AdmissionStores.REQUEST_SINK, TopicCatalog.JOB_COMMAND, registry, AdmissionStores.REQUEST_RELAY);
        return topology;
    }

    private static <V extends SpecificRecord> void sink(final Topology topology, final String name, final Topic<V> topic,
                                                        final SchemaRegistryClient registry, final String... parents) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), AnyRecordSerdes.serializer(topic, registry), parents);
    }
}
