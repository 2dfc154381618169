package dev.arcturus.admission;

import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.streams.StreamsAppRunner;
import java.nio.file.Path;
import java.util.Properties;

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

    /** Retries within this period get the original decision: the retention of the command topic. */
    public java.time.Duration decisionRetention() {
        return java.time.Duration.ofDays(7);
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
        final Properties props = StreamsAppRunner.baseProperties(applicationId, endpoints, stateDir, commitIntervalMs,
                streamThreads);
        // The client request topics are read by pattern, and a pattern meets a new topic only when the consumer
        // refreshes its metadata (every 5 min by default): a client granted a minute ago would wait that long.
        // The task reads four topics whose records need no ordering across them (steps and verdicts are messages
        // of a protocol that orders itself per key). Streams would otherwise hold a ready command back until it
        // knew the lag of the idle step and verdict partitions too: never wait.
        props.put(org.apache.kafka.streams.StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        props.put(org.apache.kafka.streams.StreamsConfig.mainConsumerPrefix(
                org.apache.kafka.clients.consumer.ConsumerConfig.METADATA_MAX_AGE_CONFIG), REQUEST_TOPIC_DISCOVERY_MS);
        return props;
    }

    /** How soon a new client's request topic is read (metadata refresh of the main consumer). */
    static final int REQUEST_TOPIC_DISCOVERY_MS = 5_000;

    public String deadLetterTopic() {
        return StreamsAppRunner.deadLetterTopic(applicationId);
    }
}
