package dev.arcturus.sinks.delivery;

import dev.arcturus.config.PlaneEndpoints;
import java.time.Duration;
import java.util.Objects;

/**
 * How a sink reads Kafka.
 *
 * @param name         consumer group id; also names the dead-letter topic {@code <name>.dlq}
 * @param endpoints    Kafka bootstrap and schema registry
 * @param maxBatch     most records written in one store transaction
 * @param retryInitial first wait after the store is found unavailable
 * @param retryMax     longest wait between attempts while it stays unavailable
 */
public record SinkSettings(String name, PlaneEndpoints endpoints, int maxBatch, Duration retryInitial,
                           Duration retryMax) {
    public static final int DEFAULT_MAX_BATCH = 2_000;
    public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofMillis(200);
    public static final Duration DEFAULT_RETRY_MAX = Duration.ofSeconds(30);

    public SinkSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(endpoints, "endpoints");
        if (name.isBlank()) {
            throw new IllegalArgumentException("sink name: must not be blank");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("sink " + name + ": maxBatch must be >= 1, was " + maxBatch);
        }
        new Backoff(retryInitial, retryMax); // validates the pair
    }

    public static SinkSettings defaults(final String name, final PlaneEndpoints endpoints) {
        return new SinkSettings(name, endpoints, DEFAULT_MAX_BATCH, DEFAULT_RETRY_INITIAL, DEFAULT_RETRY_MAX);
    }

    public String deadLetterTopic() {
        return name + ".dlq";
    }
}
