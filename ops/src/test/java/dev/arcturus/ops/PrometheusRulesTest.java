package dev.arcturus.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus config and alert rules pass promtool, and the rules and the Grafana dashboard only name Arcturus
 * meters the code registers (a renamed meter must not leave an alert that can never fire).
 */
class PrometheusRulesTest {
    private static final Pattern ARCTURUS_SERIES = Pattern.compile("\\barcturus_[a-z_]+");
    private static final Pattern METER_NAME = Pattern.compile("\"(arcturus\\.[a-z.]+)\"");

    @Test
    void configAndRulesPassPromtool() throws Exception {
        final OpsFiles.Result rules = OpsFiles.run(Map.of(), OpsFiles.OPS.resolve("prometheus"), 60, "promtool",
                "check", "rules", "rules/arcturus.rules.yml");
        assertThat(rules.exit()).as(rules.output()).isZero();
        assertThat(rules.output()).contains("SUCCESS: 11 rules found");
        final OpsFiles.Result config = OpsFiles.run(Map.of(), OpsFiles.OPS.resolve("prometheus"), 60, "promtool",
                "check", "config", "prometheus.yml");
        assertThat(config.exit()).as(config.output()).isZero();
        // Debian's promtool is built without Kubernetes discovery; the Kubernetes job is checked for its selection.
        final var kubernetes = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(OpsFiles.OPS.resolve("prometheus/kubernetes-scrape.yml").toFile()).at("/scrape_configs/0");
        assertThat(kubernetes.at("/kubernetes_sd_configs/0/role").asText()).isEqualTo("pod");
        assertThat(kubernetes.at("/relabel_configs/0/regex").asText()).isEqualTo("arcturus");
        assertThat(kubernetes.at("/relabel_configs/0/action").asText()).isEqualTo("keep");
    }

    @Test
    void rulesAndDashboardNameOnlyMetersTheCodeRegisters() throws IOException {
        final Set<String> registered = registeredMeters();
        assertThat(registered).contains("arcturus_admission_decisions", "arcturus_dlq_records");
        final Set<String> named = new TreeSet<>();
        named.addAll(series(Files.readString(OpsFiles.OPS.resolve("prometheus/rules/arcturus.rules.yml"))));
        named.addAll(series(Files.readString(OpsFiles.OPS.resolve("grafana/arcturus-dashboard.json"))));
        assertThat(named).hasSizeGreaterThan(10);
        for (final String series : named) {
            assertThat(registered).as(series + " (as Micrometer names it) is registered somewhere in the code")
                    .contains(meterOf(series));
        }
    }

    /** A Prometheus series name back to its meter: drop the unit and type suffixes Micrometer adds. */
    private static String meterOf(final String series) {
        return series.replaceAll("_(bucket|count|sum|max)$", "").replaceAll("_total$", "")
                .replaceAll("_seconds$", "");
    }

    private static Set<String> series(final String text) {
        final Set<String> names = new TreeSet<>();
        final Matcher m = ARCTURUS_SERIES.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    private static Set<String> registeredMeters() throws IOException {
        final Set<String> meters = new TreeSet<>();
        try (Stream<Path> files = Files.walk(OpsFiles.ROOT)) {
            files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/java/"))
                    .forEach(f -> {
                        try {
                            final Matcher m = METER_NAME.matcher(Files.readString(f));
                            while (m.find()) {
                                meters.add(m.group(1).replace('.', '_'));
                            }
                        } catch (final IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
        return meters;
    }
}
