package dev.arcturus.admission;

import dev.arcturus.avro.DecisionOutcome;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobCommandType;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.JobKind;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.NodeRole;
import dev.arcturus.avro.User;
import dev.arcturus.avro.UserRole;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.streams.TestDrivers;
import dev.arcturus.testing.DriverTopics;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** Drives the real admission topology synchronously: each command is fully decided before the next is read. */
final class AdmissionHarness implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, java.time.ZoneOffset.UTC);

    private final TopologyTestDriver driver;
    private final TestInputTopic<String, NodeRegistration> registrations;
    private final TestInputTopic<String, JobCommand> commands;
    private final TestInputTopic<String, User> users;
    private final TestOutputTopic<String, JobDecision> decisions;
    private final TestOutputTopic<String, JobState> states;
    private final Map<String, JobState> latestStates = new HashMap<>();

    private final SchemaRegistryClient registry;

    AdmissionHarness(final SchemaRegistryClient registry, final Path stateDir) {
        this.registry = registry;
        final AdmissionConfig config = AdmissionConfig.defaults(TestDrivers.UNREACHABLE, stateDir);
        driver = TestDrivers.create(AdmissionTopology.build(registry, config), stateDir, "admission-ttd", T0);
        registrations = DriverTopics.input(driver, TopicCatalog.NODE_REGISTRATION, registry);
        commands = DriverTopics.input(driver, TopicCatalog.JOB_COMMAND, registry);
        users = DriverTopics.input(driver, TopicCatalog.USER, registry);
        decisions = DriverTopics.output(driver, TopicCatalog.JOB_DECISION, registry);
        states = DriverTopics.output(driver, TopicCatalog.JOB_STATE, registry);
    }

    void register(final String... nodeIds) {
        for (final String nodeId : nodeIds) {
            registrations.pipeInput(nodeId, NodeRegistration.newBuilder()
                    .setMetadata(EventMetadatas.newMetadata("test", CLOCK)).setNodeId(nodeId).setIp("10.0.0.1")
                    .setRegion("EU").setRole(NodeRole.MEASUREMENT).setRegisteredAt(T0).build());
        }
    }

    /** A principal on the identity topic (admission reads who is an ADMIN from it). */
    void user(final String userId, final UserRole role) {
        users.pipeInput(userId, User.newBuilder().setMetadata(EventMetadatas.newMetadata("test", CLOCK))
                .setUserId(userId).setName(userId).setRole(role).build());
    }

    /** The records dead-lettered so far, each as its reason (the {@code __streams.errors.message} header). */
    List<String> deadLetterReasons() {
        final String dlq = driver.producedTopicNames().stream().filter(t -> t.endsWith(".dlq")).findFirst()
                .orElse(null);
        if (dlq == null) {
            return List.of();
        }
        return driver.createOutputTopic(dlq, new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer()).readRecordsToList().stream()
                .map(r -> new String(r.getHeaders().lastHeader("__streams.errors.message").value(),
                        java.nio.charset.StandardCharsets.UTF_8)).toList();
    }

    void deregister(final String nodeId) {
        registrations.pipeInput(nodeId, null);
    }

    /** Sends a command on {@code client}'s own request topic; returns every decision it produced. */
    List<JobDecision> request(final String client, final JobCommand command) {
        DriverTopics.input(driver, TopicCatalog.JOB_COMMAND.withName(dev.arcturus.bus.BusAccess.requestTopic(client)),
                registry).pipeInput(command.getJobId(), command);
        return collect();
    }

    /** Sends a command and returns every decision it produced (normally exactly one). */
    List<JobDecision> send(final JobCommand command) {
        final String key = command.getType() == JobCommandType.DELETE_ALL_ON_NODE ? command.getNodeId() : command.getJobId();
        commands.pipeInput(key, command);
        return collect();
    }

    private List<JobDecision> collect() {
        final List<JobDecision> out = new ArrayList<>(decisions.readValuesToList());
        states.readKeyValuesToList().forEach(kv -> {
            if (kv.value == null) {
                latestStates.remove(kv.key);
            } else {
                latestStates.put(kv.key, kv.value);
            }
        });
        return out;
    }

    JobDecision decide(final JobCommand command) {
        final List<JobDecision> out = send(command);
        return out.stream().filter(d -> d.getCommandId().equals(command.getCommandId())).findFirst()
                .orElseThrow(() -> new AssertionError("no decision for " + command.getCommandId() + ", got " + out));
    }

    boolean accepted(final JobCommand command) {
        return decide(command).getOutcome() == DecisionOutcome.ACCEPTED;
    }

    Map<String, JobState> jobStates() {
        return latestStates;
    }

    TopologyTestDriver driver() {
        return driver;
    }

    /**
     * Records written so far to admission's internal topics (steps to calendars, verdicts to routers): what a
     * decision cost beyond its own hop. The driver runs one task, that of partition 0, so a job and a node whose keys
     * hash to partition 0 are "owned here" as in the real app's task 0.
     */
    long internalMessages() {
        long count = 0;
        for (final String topic : List.of(TopicCatalog.ADMISSION_NODE_STEP.name(), TopicCatalog.ADMISSION_RESULT.name())) {
            if (driver.producedTopicNames().contains(topic)) {
                count += driver.createOutputTopic(topic, new org.apache.kafka.common.serialization.StringDeserializer(),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer()).getQueueSize();
            }
        }
        return count;
    }

    static JobCommand schedule(final JobSpec spec) {
        return command(JobCommandType.SCHEDULE, spec.getJobId(), spec);
    }

    static JobCommand modify(final JobSpec spec) {
        return command(JobCommandType.MODIFY, spec.getJobId(), spec);
    }

    static JobCommand delete(final String jobId) {
        return command(JobCommandType.DELETE, jobId, null);
    }

    static JobCommand command(final JobCommandType type, final String jobId, final JobSpec spec) {
        return command(type, jobId, spec, "alice");
    }

    static JobCommand command(final JobCommandType type, final String jobId, final JobSpec spec,
                              final String requestedBy) {
        return JobCommand.newBuilder().setMetadata(EventMetadatas.newMetadata("test", CLOCK))
                .setCommandId(UUID.randomUUID().toString()).setType(type).setJobId(jobId)
                .setRequestedBy(requestedBy).setSpec(spec).build();
    }

    static JobSpec.Builder cron(final String jobId, final String node, final String schedule, final int lengthSeconds) {
        return JobSpec.newBuilder().setJobId(jobId).setOwner("alice").setKind(JobKind.CRON).setSchedule(schedule)
                .setTargetNodeId(node).setWindowStart(T0).setWindowEnd(T0.plus(java.time.Duration.ofDays(1)))
                .setLengthSeconds(lengthSeconds).setExclusive(true);
    }

    static JobSpec.Builder oneShot(final String jobId, final String node, final Instant start, final int lengthSeconds,
                                   final Instant deadline) {
        return JobSpec.newBuilder().setJobId(jobId).setOwner("alice").setKind(JobKind.ONE_SHOT)
                .setTargetNodeId(node).setWindowStart(start).setWindowEnd(deadline)
                .setLengthSeconds(lengthSeconds).setExclusive(true);
    }

    @Override
    public void close() {
        driver.close();
    }
}
