package dev.arcturus.launcher.metrics;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Option;

/** {@code --metrics-host/--metrics-port} of a standalone component: where its Prometheus endpoint listens. */
public final class MetricsOptions {
    @Option(names = "--metrics-host", defaultValue = "${env:ARCTURUS_METRICS_HOST:-127.0.0.1}",
            description = "Address of the Prometheus endpoint (default ${DEFAULT-VALUE}; 0.0.0.0 in a container).")
    String host;

    @Option(names = "--metrics-port", defaultValue = "${env:ARCTURUS_METRICS_PORT:-9464}",
            description = "Port of /metrics and /healthz (default ${DEFAULT-VALUE}; negative: none).")
    int port;

    /** Serves this process's metrics (with these streams apps' metrics), unless the port is negative. */
    public Optional<MetricsEndpoint> start(final Map<String, KafkaStreams> streamsApps) {
        return port < 0 ? Optional.empty() : Optional.of(MetricsEndpoint.serve(host, port, streamsApps));
    }
}
