package dev.arcturus.admission;

import dev.arcturus.avro.JobDecision;
import dev.arcturus.avro.JobLedger;
import dev.arcturus.avro.NodeCalendarState;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.serde.ConfluentWireFormat;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicBootstrap;
import dev.arcturus.topics.TopicCatalog;
import java.util.List;
import org.apache.avro.Schema;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the admission topology: decides every job command exactly once ({@code exactly_once_v2}), publishes
 * decisions and job state, and sends undecodable commands to {@code <application.id>.dlq}.
 * Scale by starting more instances with the same application id (up to the command topic's partitions).
 */
public final class AdmissionApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdmissionApp.class);

    private final KafkaStreams streams;
    private final AdmissionConfig config;

    private AdmissionApp(final KafkaStreams streams, final AdmissionConfig config) {
        this.streams = streams;
        this.config = config;
    }

    /** Starts the app and waits until it is RUNNING (or fails). */
    public static AdmissionApp start(final AdmissionConfig config, final Duration timeout) {
        ensureDeadLetterTopic(config);
        final SchemaRegistryClient registry = new SchemaRegistryClient(config.endpoints().schemaRegistryUrl());
        registerSchemas(registry, config);
        final KafkaStreams streams = new KafkaStreams(AdmissionTopology.build(registry, config),
                config.streamsProperties());
        final CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            log.info("Admission {} state {} -> {}", config.applicationId(), before, now);
            if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.ERROR) {
                running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            // A failed thread is replaced; its tasks restart from the last committed transaction.
            log.error("Admission {} stream thread failed; replacing it", config.applicationId(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        try {
            if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || streams.state() != KafkaStreams.State.RUNNING) {
                streams.close(Duration.ofSeconds(10));
                throw new IllegalStateException("admission app " + config.applicationId() + " not running within "
                        + timeout + " (state " + streams.state() + ")");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            streams.close(Duration.ofSeconds(10));
            throw new IllegalStateException("interrupted starting the admission app", e);
        }
        return new AdmissionApp(streams, config);
    }

    public KafkaStreams streams() {
        return streams;
    }

    public AdmissionConfig config() {
        return config;
    }

    /**
     * Registers every schema the app writes before it starts, so no transaction waits on the registry (a slow first
     * transaction made the broker answer CONCURRENT_TRANSACTIONS to the next one).
     */
    private static void registerSchemas(final SchemaRegistryClient registry, final AdmissionConfig config) {
        for (final Topic<?> topic : List.of(TopicCatalog.JOB_DECISION, TopicCatalog.JOB_STATE, TopicCatalog.JOB_COMMAND,
                TopicCatalog.ADMISSION_NODE_STEP, TopicCatalog.ADMISSION_RESULT)) {
            registry.register(ConfluentWireFormat.valueSubject(topic.name()), topic.valueSchema());
        }
        final Map<String, Schema> stores = Map.of(
                AdmissionStores.JOB_LEDGER_STORE, JobLedger.getClassSchema(),
                AdmissionStores.COMMAND_DECISION_STORE, JobDecision.getClassSchema(),
                AdmissionStores.NODE_CALENDAR_STORE, NodeCalendarState.getClassSchema());
        stores.forEach((store, schema) -> registry.register(
                ConfluentWireFormat.valueSubject(config.applicationId() + "-" + store + "-changelog"), schema));
    }

    private static void ensureDeadLetterTopic(final AdmissionConfig config) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.endpoints().kafkaBootstrap()))) {
            // Replication -1: the broker's default, so a production cluster replicates its dead letters too.
            new TopicBootstrap(admin, (short) -1).ensureNewTopics(List.of(new NewTopic(config.deadLetterTopic(), 1,
                    (short) -1).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG,
                    Long.toString(Duration.ofDays(30).toMillis())))));
        }
    }

    /**
     * Stops and leaves the consumer group, so the next instance (or the same one restarted) gets the partitions at
     * once instead of after the 45-second session timeout.
     */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
