package dev.arcturus.admission;

import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.JobLedger;
import dev.arcturus.avro.NodeCalendarState;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.serde.ConfluentWireFormat;
import dev.arcturus.streams.StreamsAppRunner;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Runs the admission topology: decides every job command exactly once ({@code exactly_once_v2}), publishes
 * decisions and job state, and sends undecodable commands to {@code <application.id>.dlq}.
 * Scale by starting more instances with the same application id (up to the command topic's partitions).
 */
public final class AdmissionApp implements AutoCloseable {
    private final StreamsAppRunner runner;
    private final AdmissionConfig config;

    private AdmissionApp(final StreamsAppRunner runner, final AdmissionConfig config) {
        this.runner = runner;
        this.config = config;
    }

    /** Starts the app and waits until it is RUNNING (or fails). */
    public static AdmissionApp start(final AdmissionConfig config, final Duration timeout) {
        requireCoPartitioned(config);
        final SchemaRegistryClient registry = config.endpoints().registryClient();
        return new AdmissionApp(StreamsAppRunner.start(AdmissionTopology.build(registry, config),
                config.streamsProperties(), config.endpoints(), writtenSchemas(config), timeout), config);
    }

    /**
     * The one-hop path decides in process when a job's id and its node hash to this task's partition; that holds only
     * if the command, step and verdict topics and the registrations all have the partition count the topology was
     * built for. A topic given more partitions by hand would make two tasks own one calendar: refuse to start.
     */
    private static void requireCoPartitioned(final AdmissionConfig config) {
        final List<Topic<?>> topics = List.of(TopicCatalog.JOB_COMMAND, TopicCatalog.ADMISSION_NODE_STEP,
                TopicCatalog.ADMISSION_RESULT, TopicCatalog.NODE_REGISTRATION);
        try (Admin admin = Admin.create(config.endpoints().clientProperties())) {
            final Map<String, TopicDescription> found = admin.describeTopics(
                    topics.stream().map(Topic::name).toList()).allTopicNames().get(30, TimeUnit.SECONDS);
            for (final Topic<?> topic : topics) {
                final int actual = found.get(topic.name()).partitions().size();
                if (actual != TopicCatalog.ADMISSION_NODE_STEP.partitions()) {
                    throw new IllegalStateException("admission needs " + topic.name() + " co-partitioned with "
                            + TopicCatalog.ADMISSION_NODE_STEP.name() + ": it has " + actual + " partitions, not "
                            + TopicCatalog.ADMISSION_NODE_STEP.partitions() + " (see admission/DESIGN.md, One hop)");
                }
            }
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("admission could not read its topics' partition counts", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading admission's topics", e);
        }
    }

    private static Map<String, Schema> writtenSchemas(final AdmissionConfig config) {
        final Map<String, Schema> subjects = new LinkedHashMap<>();
        for (final Topic<?> topic : List.of(TopicCatalog.JOB_DECISION, TopicCatalog.JOB_STATE, TopicCatalog.JOB_COMMAND,
                TopicCatalog.ADMISSION_NODE_STEP, TopicCatalog.ADMISSION_RESULT)) {
            subjects.put(ConfluentWireFormat.valueSubject(topic.name()), topic.valueSchema());
        }
        subjects.put(StreamsAppRunner.changelogSubject(config.applicationId(), AdmissionStores.JOB_LEDGER_STORE),
                JobLedger.getClassSchema());
        subjects.put(StreamsAppRunner.changelogSubject(config.applicationId(), AdmissionStores.COMMAND_DECISION_STORE),
                JobDecision.getClassSchema());
        subjects.put(StreamsAppRunner.changelogSubject(config.applicationId(), AdmissionStores.NODE_CALENDAR_STORE),
                NodeCalendarState.getClassSchema());
        return subjects;
    }

    public KafkaStreams streams() {
        return runner.streams();
    }

    public AdmissionConfig config() {
        return config;
    }

    @Override
    public void close() {
        runner.close();
    }
}
