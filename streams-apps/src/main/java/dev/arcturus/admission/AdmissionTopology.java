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
 * Job admission as a Processor-API topology. One sub-topology over co-partitioned topics; the router (by jobId) and
 * the calendars (by nodeId) share its task and send each other messages through two internal topics only when the
 * key belongs to another task:
 * <pre>
 *   jobs.job.command.v1 ──────┐                         ┌─▶ jobs.job.decision.v1, jobs.job.state.v1
 *   jobs.admission.result.v1 ─┼─▶ job-admission ────────┼─▶ jobs.admission.node-step.v1, jobs.admission.result.v1
 *   jobs.admission.node-step.v1┘   (router + calendars) └─▶ jobs.job.command.v1 (a node's delete-all, per job)
 *   fleet.node.registration.v1 ──▶ node-registrations (marks calendars registered)
 * </pre>
 * Every source, processor, sink and store is named explicitly.
 */
public final class AdmissionTopology {
    private AdmissionTopology() {
    }

    public static Topology build(final SchemaRegistryClient registry, final AdmissionConfig config) {
        final Serde<String> keys = Serdes.String();
        final Topology topology = new Topology();

        // One processor reads commands, verdicts and steps: the three topics (and the registrations) are
        // co-partitioned, so the task for partition p owns the jobs and the nodes whose keys hash to p, and a job
        // whose id and node share p is decided without leaving the task (AdmissionMail, DESIGN.md "One hop").
        topology.addSource(AdmissionStores.COMMAND_SOURCE, keys.deserializer(),
                AnyRecordSerdes.deserializer(TopicCatalog.JOB_COMMAND, registry), TopicCatalog.JOB_COMMAND.name());
        topology.addSource(AdmissionStores.RESULT_SOURCE, keys.deserializer(),
                AnyRecordSerdes.deserializer(TopicCatalog.ADMISSION_RESULT, registry), TopicCatalog.ADMISSION_RESULT.name());
        topology.addSource(AdmissionStores.STEP_SOURCE, keys.deserializer(),
                CheckedInputs.deserializer(TopicCatalog.ADMISSION_NODE_STEP, registry),
                TopicCatalog.ADMISSION_NODE_STEP.name());
        topology.addProcessor(AdmissionStores.ADMISSION, () -> new AdmissionProcessor(config, TopicCatalog.ADMISSION_NODE_STEP),
                AdmissionStores.COMMAND_SOURCE, AdmissionStores.RESULT_SOURCE, AdmissionStores.STEP_SOURCE);
        topology.addSource(AdmissionStores.REGISTRATION_SOURCE, keys.deserializer(),
                CheckedInputs.deserializer(TopicCatalog.NODE_REGISTRATION, registry),
                TopicCatalog.NODE_REGISTRATION.name());
        topology.addProcessor(AdmissionStores.NODE_REGISTRATIONS, NodeRegistrationProcessor::new,
                AdmissionStores.REGISTRATION_SOURCE);
        // Cached: a one-hop decision writes a ledger twice (in flight, then decided); the cache sends one
        // changelog record per commit instead, and serves the reads of the same hop.
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AdmissionStores.JOB_LEDGER_STORE), keys,
                AvroSerdes.forClass(dev.arcturus.avro.JobLedger.class, registry)).withCachingEnabled(),
                AdmissionStores.ADMISSION);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AdmissionStores.COMMAND_DECISION_STORE), keys,
                AvroSerdes.forClass(dev.arcturus.avro.JobDecision.class, registry)).withCachingEnabled(),
                AdmissionStores.ADMISSION);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AdmissionStores.NODE_CALENDAR_STORE), keys,
                AvroSerdes.forClass(dev.arcturus.avro.NodeCalendarState.class, registry)).withCachingEnabled(),
                AdmissionStores.ADMISSION, AdmissionStores.NODE_REGISTRATIONS);

        // Who is an ADMIN, for the requester check (CommandAuthority).
        GlobalStoreMirror.add(topology, AdmissionStores.USERS, AdmissionStores.USERS_STORE, TopicCatalog.USER, registry);

        sink(topology, AdmissionStores.DECISION_SINK, TopicCatalog.JOB_DECISION, registry, AdmissionStores.ADMISSION);
        sink(topology, AdmissionStores.STATE_SINK, TopicCatalog.JOB_STATE, registry, AdmissionStores.ADMISSION);
        sink(topology, AdmissionStores.STEP_SINK, TopicCatalog.ADMISSION_NODE_STEP, registry,
                AdmissionStores.ADMISSION);
        sink(topology, AdmissionStores.RESULT_SINK, TopicCatalog.ADMISSION_RESULT, registry, AdmissionStores.ADMISSION);
        sink(topology, AdmissionStores.COMMAND_SINK, TopicCatalog.JOB_COMMAND, registry, AdmissionStores.ADMISSION);
        sink(topology, AdmissionStores.NODE_DECISION_SINK, TopicCatalog.JOB_DECISION, registry,
                AdmissionStores.ADMISSION);

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
