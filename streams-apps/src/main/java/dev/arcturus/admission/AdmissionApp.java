package dev.arcturus.admission;

import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.JobLedger;
import dev.arcturus.avro.NodeCalendarState;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
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
        final SchemaRegistryClient registry = config.endpoints().registryClient();
        return new AdmissionApp(StreamsAppRunner.start(AdmissionTopology.build(registry, config),
                config.streamsProperties(), config.endpoints(), writtenSchemas(config), timeout), config);
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
