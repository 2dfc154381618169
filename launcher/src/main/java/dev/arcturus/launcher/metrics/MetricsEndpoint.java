package dev.arcturus.launcher.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A process's Prometheus endpoint ({@code GET /metrics}, Micrometer): JVM, CPU and uptime; every Kafka Streams app
 * of the process — its threads' process and commit rates and latencies, task and store metrics, and its consumers'
 * lag — tagged {@code app=<application id>}; and the domain meters components record in Micrometer's global registry
 * ({@code arcturus_*}: admission, liveness, paths, placement, gateway calls, connector runs, sinks, dead letters).
 * {@code GET /healthz} answers 200 while the process serves. Operators scrape it; {@code ops/} alerts on it.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> binders = new ArrayList<>();
    private final HttpServer server;

    private MetricsEndpoint(final HttpServer server) {
        this.server = server;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        final JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        binders.add(gc);
        // Components record domain meters in the global registry (decisions, transitions, DLQ, writes, ...).
        Metrics.addRegistry(registry);
        server.createContext("/healthz", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, -1); // the process serves: enough for a container health check
            }
        });
        server.createContext("/metrics", exchange -> {
            try (exchange) {
                final byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    /** Serves {@code /metrics} on {@code host:port} (port 0: any free port). */
    public static MetricsEndpoint start(final String host, final int port) throws IOException {
        return new MetricsEndpoint(HttpServer.create(new InetSocketAddress(host, port), 16));
    }

    /** Serves {@code /metrics} with these streams apps' metrics; a port in use is an error naming the address. */
    public static MetricsEndpoint serve(final String host, final int port, final Map<String, KafkaStreams> apps) {
        try {
            final MetricsEndpoint endpoint = start(host, port);
            endpoint.bindStreams(apps);
            return endpoint;
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException("cannot serve metrics on " + host + ":" + port, e);
        }
    }

    /** Adds each app's Kafka Streams metrics, tagged with its application id. */
    public void bindStreams(final Map<String, KafkaStreams> apps) {
        apps.forEach((app, streams) -> {
            final KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams, Tags.of("app", app));
            metrics.bindTo(registry);
            binders.add(metrics);
        });
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        Metrics.removeRegistry(registry);
        for (final AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (final Exception e) {
                // closing a metrics binder only stops its refresh; nothing to recover
            }
        }
        registry.close();
    }
}
