package dev.arcturus.apps;

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
import dev.arcturus.streams.StreamsAppKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The plane's streams apps, listed once: {@code up} starts all of them, {@code arcturus app <name>} one, and the
 * compose file, the Helm chart and the fault scenarios are checked against this list. Adding an app is adding it here
 * (its topics go in the topic catalogue, as every topic does).
 */
public final class PlaneApps {
    public static final StreamsAppKind ADMISSION = app("admission", "job admission and conflict detection",
            AdmissionConfig.DEFAULT_APPLICATION_ID, (id, endpoints, stateDir, instance, timeout) -> {
                final AdmissionApp app = AdmissionApp.start(AdmissionConfig.defaults(endpoints, stateDir), timeout);
                return new StreamsAppKind.Running(id, app, app.streams());
            });
    public static final StreamsAppKind LIVENESS = app("liveness", "node liveness from heartbeats and telemetry",
            LivenessApp.DEFAULT_APPLICATION_ID, (id, endpoints, stateDir, instance, timeout) -> {
                final LivenessApp app = LivenessApp.start(id, endpoints, stateDir, LivenessPolicy.defaults(), timeout);
                return new StreamsAppKind.Running(id, app, app.streams());
            });
    public static final StreamsAppKind NETWORK = app("network", "network metrics per link",
            NetworkMetricsApp.DEFAULT_APPLICATION_ID, (id, endpoints, stateDir, instance, timeout) -> {
                final NetworkMetricsApp app = NetworkMetricsApp.start(id, endpoints, stateDir,
                        NetworkMetricsPolicy.defaults(), timeout);
                return new StreamsAppKind.Running(id, app, app.streams());
            });
    public static final StreamsAppKind PATHS = app("paths", "path selection (mid-mile and last-mile)",
            PathSelectionApp.DEFAULT_APPLICATION_ID, (id, endpoints, stateDir, instance, timeout) -> {
                final PathSelectionApp app = PathSelectionApp.start(id, endpoints, stateDir,
                        PathSelectionApp.DEFAULT_TICK, timeout);
                return new StreamsAppKind.Running(id, app, app.streams());
            });
    public static final StreamsAppKind RUNS = app("runs", "run state",
            RunStateApp.DEFAULT_APPLICATION_ID, (id, endpoints, stateDir, instance, timeout) -> {
                final RunStateApp app = RunStateApp.start(id, endpoints, stateDir, timeout);
                return new StreamsAppKind.Running(id, app, app.streams());
            });
    public static final StreamsAppKind PLACEMENT = app("placement", "leader-only placement ticks",
            PlacementApp.DEFAULT_APPLICATION_ID, (id, endpoints, stateDir, instance, timeout) -> {
                final PlacementApp app = PlacementApp.start(id, endpoints, stateDir, PlacementPolicy.defaults(),
                        instance, timeout);
                return new StreamsAppKind.Running(id, app, app.streams());
            });

    private static final List<StreamsAppKind> ALL = List.of(ADMISSION, LIVENESS, NETWORK, PATHS, RUNS, PLACEMENT);

    private PlaneApps() {
    }

    /** Every app, in the order {@code up} starts them. */
    public static List<StreamsAppKind> all() {
        return ALL;
    }

    /** The app with this short name; the error lists the valid ones. */
    public static StreamsAppKind named(final String name) {
        return ALL.stream().filter(a -> a.shortName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("app: unknown app '" + name + "'; one of "
                        + ALL.stream().map(StreamsAppKind::shortName).collect(Collectors.joining(", "))));
    }

    /** How one app starts, given its application id. */
    @FunctionalInterface
    private interface Starter {
        StreamsAppKind.Running start(String applicationId, PlaneEndpoints endpoints, Path stateDir, String instance,
                                     Duration timeout);
    }

    private static StreamsAppKind app(final String shortName, final String description, final String applicationId,
                                      final Starter starter) {
        return new Kind(shortName, description, applicationId, starter);
    }

    private record Kind(String shortName, String description, String applicationId, Starter starter)
            implements StreamsAppKind {
        @Override
        public Running start(final PlaneEndpoints endpoints, final Path stateDir, final String instance,
                             final Duration timeout) {
            return starter.start(applicationId, endpoints, stateDir, instance, timeout);
        }

        @Override
        public String toString() {
            return shortName;
        }
    }
}
