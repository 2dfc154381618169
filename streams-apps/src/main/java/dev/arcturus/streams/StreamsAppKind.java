package dev.arcturus.streams;

import dev.arcturus.config.PlaneEndpoints;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The one shape every streams app has for whoever runs it ({@code up}, {@code arcturus app <name>}, the fault
 * scenarios, compose and Helm checks): a short name, what it does, the application id it runs under, and how to start
 * it against a plane with its default policy. The plane's apps are listed once, in {@code dev.arcturus.apps.PlaneApps}.
 */
public interface StreamsAppKind {
    /** The name used on the command line and in deployments, e.g. {@code admission}. */
    String shortName();

    String description();

    /** The application id: its consumer group, state directory, internal topics and dead-letter topic. */
    String applicationId();

    /**
     * Starts the app and waits until it runs.
     *
     * @param instance a label for this process (placement's leader election shows it)
     */
    Running start(PlaneEndpoints endpoints, Path stateDir, String instance, Duration timeout);

    /** A started app: closing {@code app} stops it; {@code streams} is its Kafka Streams instance (for metrics). */
    record Running(String applicationId, AutoCloseable app, KafkaStreams streams) {
    }
}
