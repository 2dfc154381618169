package dev.arcturus.launcher.serve;

import dev.arcturus.apps.PlaneApps;
import dev.arcturus.launcher.metrics.MetricsOptions;
import dev.arcturus.streams.StreamsAppKind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code arcturus app <name>...}: one streams app (or several) on its own, against an external plane (run {@code init}
 * first). Start more instances with the same name to scale it out: Kafka Streams spreads the partitions over them.
 */
@Command(name = "app", mixinStandardHelpOptions = true,
        description = "Run streams apps (admission, liveness, network, paths, runs, placement) until stopped.")
public final class AppCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "NAME",
            description = "admission, liveness, network, paths, runs or placement (several: one process runs them all)")
    List<String> names;

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
        final List<StreamsAppKind> apps = names.stream().map(PlaneApps::named).distinct().toList();
        final Lifetime lifetime = new Lifetime();
        try {
            final Map<String, KafkaStreams> running = new LinkedHashMap<>();
            for (final StreamsAppKind app : apps) {
                final StreamsAppKind.Running started = app.start(plane.endpoints(), stateDir.toAbsolutePath(),
                        instanceName(), startTimeout);
                lifetime.add(started.app());
                running.put(started.applicationId(), started.streams());
                System.out.printf("Streams app %s (%s) running against %s.%n", started.applicationId(),
                        app.description(), plane.kafkaBootstrap());
            }
            metrics.start(running).ifPresent(lifetime::add);
            System.out.println("All " + apps.size() + " app(s) running. Ctrl-C stops.");
        } catch (final RuntimeException e) {
            lifetime.close();
            throw e;
        }
        return lifetime.runUntilStopped("arcturus-app-" + String.join("-", names));
    }

    private static String instanceName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (final UnknownHostException e) {
            return "unknown-host";
        }
    }
}
