package dev.arcturus.launcher.plane;

import dev.arcturus.admission.AdmissionApp;
import dev.arcturus.admission.AdmissionConfig;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.liveness.LivenessApp;
import dev.arcturus.liveness.LivenessPolicy;
import dev.arcturus.network.NetworkMetricsApp;
import dev.arcturus.network.NetworkMetricsPolicy;
import dev.arcturus.paths.PathSelectionApp;
import dev.arcturus.placement.PlacementApp;
import dev.arcturus.placement.PlacementPolicy;
import dev.arcturus.runs.RunStateApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The plane's Kafka Streams apps by their short names, each started with its default application id and policy.
 * {@code up} starts all of them in one process; {@code arcturus app <name>} starts one, so each can run and scale
 * on its own (compose services, Helm deployments).
 */
public enum StreamsApps {
    ADMISSION("admission", "job admission and conflict detection"),
    LIVENESS("liveness", "node liveness from heartbeats and telemetry"),
    NETWORK("network", "network metrics per link"),
    PATHS("paths", "path selection (mid-mile and last-mile)"),
    RUNS("runs", "run state"),
    PLACEMENT("placement", "leader-only placement ticks");

    private final String shortName;
    private final String description;

    StreamsApps(final String shortName, final String description) {
        this.shortName = shortName;
        this.description = description;
    }

    public String shortName() {
        return shortName;
    }

    public String description() {
        return description;
    }

    /** The application id this app runs under (its consumer group, state and internal topics). */
    public String applicationId() {
        return switch (this) {
            case ADMISSION -> AdmissionConfig.DEFAULT_APPLICATION_ID;
            case LIVENESS -> LivenessApp.DEFAULT_APPLICATION_ID;
            case NETWORK -> NetworkMetricsApp.DEFAULT_APPLICATION_ID;
            case PATHS -> PathSelectionApp.DEFAULT_APPLICATION_ID;
            case RUNS -> RunStateApp.DEFAULT_APPLICATION_ID;
            case PLACEMENT -> PlacementApp.DEFAULT_APPLICATION_ID;
        };
    }

    /** A started app: closing stops it; {@code streams} is its Kafka Streams instance (for metrics). */
    public record Started(String applicationId, AutoCloseable app, KafkaStreams streams) {
    }

    /**
     * Starts this app against the plane and waits until it runs.
     *
     * @param instance placement's leader label (the process's host name in a deployment)
     */
    public Started start(final PlaneEndpoints endpoints, final Path stateDir, final String instance,
                         final Duration timeout) {
        return switch (this) {
            case ADMISSION -> {
                final AdmissionConfig config = AdmissionConfig.defaults(endpoints, stateDir);
                final AdmissionApp app = AdmissionApp.start(config, timeout);
                yield new Started(config.applicationId(), app, app.streams());
            }
            case LIVENESS -> {
                final LivenessApp app = LivenessApp.start(applicationId(), endpoints, stateDir,
                        LivenessPolicy.defaults(), timeout);
                yield new Started(applicationId(), app, app.streams());
            }
            case NETWORK -> {
                final NetworkMetricsApp app = NetworkMetricsApp.start(applicationId(),
                        endpoints, stateDir, NetworkMetricsPolicy.defaults(), timeout);
                yield new Started(applicationId(), app, app.streams());
            }
            case PATHS -> {
                final PathSelectionApp app = PathSelectionApp.start(applicationId(),
                        endpoints, stateDir, PathSelectionApp.DEFAULT_TICK, timeout);
                yield new Started(applicationId(), app, app.streams());
            }
            case RUNS -> {
                final RunStateApp app = RunStateApp.start(applicationId(), endpoints, stateDir,
                        timeout);
                yield new Started(applicationId(), app, app.streams());
            }
            case PLACEMENT -> {
                final PlacementApp app = PlacementApp.start(applicationId(), endpoints, stateDir,
                        PlacementPolicy.defaults(), instance, timeout);
                yield new Started(applicationId(), app, app.streams());
            }
        };
    }

    /** The app with this short name; the error lists the valid ones. */
    public static StreamsApps named(final String name) {
        return Arrays.stream(values()).filter(a -> a.shortName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("app: unknown app '" + name + "'; one of "
                        + Arrays.stream(values()).map(StreamsApps::shortName).collect(Collectors.joining(", "))));
    }
}
