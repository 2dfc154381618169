package dev.arcturus.launcher.serve;

import dev.arcturus.launcher.StreamsApps;
import dev.arcturus.launcher.metrics.MetricsOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code arcturus app <name>}: one streams app on its own, against an external plane (run {@code init} first). Start
 * more instances with the same name to scale it out: Kafka Streams spreads the partitions over them.
 */
@Command(name = "app", mixinStandardHelpOptions = true,
        description = "Run one streams app (admission, liveness, network, paths, runs, placement) until stopped.")
public final class AppCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "admission, liveness, network, paths, runs or placement")
    String name;

    @Mixin
    EndpointOptions plane;

    @Mixin
    MetricsOptions metrics;

    @Option(names = "--state-dir", defaultValue = "${env:ARCTURUS_STATE_DIR:-.arcturus/data/streams}",
            description = "Local state (RocksDB stores, restorable from changelogs; default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--start-timeout", defaultValue = "PT5M", description = "How long to wait for RUNNING.")
    Duration startTimeout;

    @Override
    public Integer call() throws InterruptedException {
        final StreamsApps app = StreamsApps.named(name);
        final Lifetime lifetime = new Lifetime();
        try {
            final StreamsApps.Started started = app.start(plane.endpoints(), stateDir.toAbsolutePath(),
                    instanceName(), startTimeout);
            lifetime.add(started.app());
            metrics.start(Map.of(started.applicationId(), started.streams())).ifPresent(lifetime::add);
            System.out.printf("Streams app %s (%s) running against %s. Ctrl-C stops.%n", started.applicationId(),
                    app.description(), plane.kafkaBootstrap());
        } catch (final RuntimeException e) {
            lifetime.close();
            throw e;
        }
        return lifetime.runUntilStopped("arcturus-app-" + name);
    }

    private static String instanceName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (final UnknownHostException e) {
            return "unknown-host";
        }
    }
}
