package dev.arcturus.tools.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Where a Streams hop's time goes, from the app's own metrics: the stream thread's poll, process and commit, and
 * inside a commit the transactional producer's flush, offsets and commit. Printed after a phase, so a figure that
 * misses its target comes with the hop's breakdown.
 */
final class HopTimings {
    private static final List<String> THREAD = List.of("poll-latency-avg", "poll-records-avg", "process-latency-avg",
            "process-records-avg", "commit-latency-avg", "commit-rate", "poll-ratio", "process-ratio",
            "commit-ratio", "punctuate-ratio", "blocked-time-ns-total");
    private static final List<String> PRODUCER = List.of("flush-time-ns-total", "txn-send-offsets-time-ns-total",
            "txn-commit-time-ns-total", "txn-begin-time-ns-total", "batch-size-avg", "records-per-request-avg",
            "request-latency-avg");

    private HopTimings() {
    }

    static void print(final Map<MetricName, ? extends Metric> metrics) {
        final StringBuilder line = new StringBuilder("hop timings:");
        metrics.forEach((name, metric) -> {
            final boolean thread = name.group().equals("stream-thread-metrics") && THREAD.contains(name.name());
            final boolean producer = name.group().equals("producer-metrics") && PRODUCER.contains(name.name())
                    && name.tags().getOrDefault("client-id", "").contains("StreamThread");
            if (thread || producer) {
                final Object value = metric.metricValue();
                if (value instanceof Double number) {
                    line.append(String.format(Locale.ROOT, " %s=%s", name.name(),
                            name.name().endsWith("-ns-total") ? Math.round(number / 1e6) + "ms"
                                    : String.format(Locale.ROOT, "%.3f", number)));
                }
            }
        });
        System.out.println(line);
    }
}
