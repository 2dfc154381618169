package dev.arcturus.admission;

import dev.arcturus.config.PlaneEndpoints;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * The admission app's settings, validated at start-up.
 *
 * @param applicationId   Kafka Streams application id (renaming it orphans state and offsets)
 * @param endpoints       Kafka bootstrap and schema registry
 * @param stateDir        local state directory
 * @param maxConflicts    conflicting jobs reported per rejection
 * @param maxCachedRuns   expanded runs kept in memory across node calendars (the store stays the truth)
 * @param commitIntervalMs EOS commit interval: each hop of a decision waits up to this long
 * @param streamThreads   stream threads in this instance
 */
public record AdmissionConfig(String applicationId, PlaneEndpoints endpoints, Path stateDir, int maxConflicts,
                              int maxCachedRuns, int commitIntervalMs, int streamThreads) {
    public static final String DEFAULT_APPLICATION_ID = "arcturus-admission";

    public AdmissionConfig {
        if (maxConflicts < 1 || maxConflicts > 100) {
            throw new IllegalArgumentException("maxConflicts must be 1..100, was " + maxConflicts);
        }
        if (maxCachedRuns < 1) {
            throw new IllegalArgumentException("maxCachedRuns must be positive, was " + maxCachedRuns);
        }
        if (commitIntervalMs < 1) {
            throw new IllegalArgumentException("commitIntervalMs must be positive, was " + commitIntervalMs);
        }
        if (streamThreads < 1) {
            throw new IllegalArgumentException("streamThreads must be positive, was " + streamThreads);
        }
    }

    public static AdmissionConfig defaults(final PlaneEndpoints endpoints, final Path stateDir) {
        return new AdmissionConfig(DEFAULT_APPLICATION_ID, endpoints, stateDir, 10, 20_000_000, 20, 1);
    }

    public AdmissionConfig withApplicationId(final String id) {
        return new AdmissionConfig(id, endpoints, stateDir, maxConflicts, maxCachedRuns, commitIntervalMs,
                streamThreads);
    }

    public AdmissionConfig withThroughputSettings(final int commitInterval, final int threads) {
        return new AdmissionConfig(applicationId, endpoints, stateDir, maxConflicts, maxCachedRuns, commitInterval,
                threads);
    }

    public Properties streamsProperties() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // Undecodable commands go to the dead-letter topic with the reason; admission keeps running.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // A crashed instance can't leave its group; its partitions move after this timeout (45 s by default).
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        return props;
    }

    public String deadLetterTopic() {
        return applicationId + ".dlq";
    }
}
