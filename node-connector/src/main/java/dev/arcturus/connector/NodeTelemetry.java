package dev.arcturus.connector;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The values triggers read on this node, with history: every {@code sample()} records {@code cpu} (% busy),
 * {@code memory} (% used), {@code load} (1-minute load average) and each node-local plugin's latest value; a plugin
 * publishes by writing a number to {@code <plugins>/<name>}, read as {@code plugin_<name>}. {@link #values()} adds
 * {@code F_1}…{@code F_5} (previous samples, most recent first) and {@code F_avg}.
 */
final class NodeTelemetry {
    private static final int HISTORY = 6; // the current value and five before it

    private final Path plugins;
    private final Map<String, Deque<Double>> samples = new ConcurrentHashMap<>();

    NodeTelemetry(final Path plugins) {
        this.plugins = plugins;
    }

    void sample() {
        final var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        record("cpu", Math.max(0, os.getCpuLoad()) * 100);
        final long total = os.getTotalMemorySize();
        record("memory", total == 0 ? 0 : 100.0 * (total - os.getFreeMemorySize()) / total);
        record("load", Math.max(0, os.getSystemLoadAverage()));
        if (Files.isDirectory(plugins)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(plugins)) {
                for (final Path file : files) {
                    readPlugin(file);
                }
            } catch (final IOException e) {
                // A plugin directory that cannot be read publishes nothing this round.
            }
        }
    }

    private void readPlugin(final Path file) {
        try {
            record("plugin_" + file.getFileName(), Double.parseDouble(Files.readString(file).strip()));
        } catch (final IOException | NumberFormatException e) {
            // Not a number (yet): the variable keeps its previous samples.
        }
    }

    void record(final String name, final double value) {
        final Deque<Double> history = samples.computeIfAbsent(name, n -> new ArrayDeque<>());
        synchronized (history) {
            history.addFirst(value);
            while (history.size() > HISTORY) {
                history.removeLast();
            }
        }
    }

    Map<String, Double> values() {
        final Map<String, Double> values = new HashMap<>();
        samples.forEach((name, history) -> {
            synchronized (history) {
                final Iterator<Double> newestFirst = history.iterator();
                double sum = 0;
                int index = 0;
                while (newestFirst.hasNext()) {
                    final double value = newestFirst.next();
                    values.put(index == 0 ? name : name + "_" + index, value);
                    sum += value;
                    index++;
                }
                values.put(name + "_avg", sum / index);
            }
        });
        return values;
    }
}
