package dev.arcturus.tools.chaos;

import dev.arcturus.apps.PlaneApps;
import dev.arcturus.streams.StreamsAppKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Streams apps in a child JVM ({@code arcturus app <names>}), as a deployment runs them: killable for real. */
final class StreamsProcess {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private StreamsProcess() {
    }

    /** Every streams app's short name, as {@code arcturus app} takes them. */
    static List<String> allApps() {
        return PlaneApps.all().stream().map(StreamsAppKind::shortName).toList();
    }

    /** Starts the apps in a new JVM with its own state directory and waits until all of them run. */
    static ChildJvm start(final ChaosPlane plane, final String instance, final List<String> apps) {
        final Path dir = plane.scratch(instance);
        final List<String> args = new ArrayList<>(List.of("app"));
        args.addAll(apps);
        args.addAll(List.of("--kafka-bootstrap", plane.bootstrap(), "--schema-registry-url",
                plane.endpoints().schemaRegistryUrl(), "--state-dir", dir.resolve("state").toString(),
                "--metrics-port", "-1"));
        return ChildJvm.launch(instance, dir.resolve(instance + ".log"), args)
                .awaitOutput("All " + apps.size() + " app(s) running", START_TIMEOUT);
    }
}
