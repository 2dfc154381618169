package dev.arcturus.streams;

import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.serde.ConfluentWireFormat;
import dev.arcturus.topics.TopicBootstrap;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one of the plane's Kafka Streams apps the same way for all of them: exactly-once v2, explicit internal names
 * enforced, undecodable input to {@code <application.id>.dlq}, every written schema registered before the first
 * transaction, a failed thread replaced, and a clean leave from the group on close.
 */
public final class StreamsAppRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamsAppRunner.class);

    private final KafkaStreams streams;

    private StreamsAppRunner(final KafkaStreams streams) {
        this.streams = streams;
    }

    /** The settings every app shares; apps add or override their own. */
    public static Properties baseProperties(final String applicationId, final PlaneEndpoints endpoints,
                                            final java.nio.file.Path stateDir, final int commitIntervalMs,
                                            final int streamThreads) {
        final Properties props = new Properties();
        // The shared client security settings first (KafkaClientSettings); the app's own settings on top.
        props.putAll(endpoints.clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // Undecodable records go to the dead-letter topic with the reason; the app keeps running.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, CountingDeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Records an app refuses on its state (RefusedRecordException) are dead-lettered too; other errors still fail.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, RefusedRecordHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic(applicationId));
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // A crashed instance can't leave its group; its partitions move after the session timeout (45 s by
        // default). The new owner also waits until the dead instance's open transaction is aborted: after the
        // transaction timeout (10 s under EOS by default) plus the broker's abort sweep. Both clocks start at the
        // crash, so the later of 6 s (the broker's smallest session timeout) and 5 s + a 1 s sweep, plus the
        // rebalance, bounds a takeover: within 10 s (docs/reliability.md).
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_500);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 5_000);
        return props;
    }

    public static String deadLetterTopic(final String applicationId) {
        return applicationId + ".dlq";
    }

    /**
     * Registers {@code schemasBySubject}, creates the dead-letter topic, starts the app and waits until it is RUNNING.
     */
    public static StreamsAppRunner start(final Topology topology, final Properties props, final PlaneEndpoints endpoints,
                                         final Map<String, Schema> schemasBySubject, final Duration timeout) {
        final String applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        final SchemaRegistryClient registry = endpoints.registryClient();
        // Registered up front so no transaction waits on the registry (a slow first transaction made the broker
        // answer CONCURRENT_TRANSACTIONS to the next one).
        schemasBySubject.forEach(registry::register);
        TopicBootstrap.ensureDeadLetterTopic(endpoints, deadLetterTopic(applicationId));
        final KafkaStreams streams = new KafkaStreams(topology, props);
        final CountDownLatch settled = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            log.info("{} state {} -> {}", applicationId, before, now);
            if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.ERROR) {
                settled.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            // A failed thread is replaced; its tasks restart from their last committed transaction.
            log.error("{} stream thread failed; replacing it", applicationId, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        try {
            if (!settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || streams.state() != KafkaStreams.State.RUNNING) {
                streams.close(Duration.ofSeconds(10));
                throw new IllegalStateException(applicationId + " not running within " + timeout
                        + " (state " + streams.state() + ")");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            streams.close(Duration.ofSeconds(10));
            throw new IllegalStateException("interrupted starting " + applicationId, e);
        }
        return new StreamsAppRunner(streams);
    }

    /** The value subject of a store's changelog, for pre-registration. */
    public static String changelogSubject(final String applicationId, final String store) {
        return ConfluentWireFormat.valueSubject(applicationId + "-" + store + "-changelog");
    }

    public KafkaStreams streams() {
        return streams;
    }

    /**
     * Stops and leaves the consumer group, so the next instance (or the same one restarted) gets the partitions at
     * once instead of after the session timeout.
     */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
