package dev.arcturus.connector.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.connector.occurrence.TriggerGate;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trigger values from providers: a real executable's JSON feeds a trigger, and a value gone stale closes the gate. */
class TriggerProvidersTest {
    @TempDir
    Path dir;

    private Path script(final String json) throws IOException {
        final Path script = dir.resolve("dish-status");
        Files.writeString(script, "#!/bin/sh\necho '" + json + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void shouldFeedATriggerFromAnExecutableAndSkipOnceItsValueIsStale() throws IOException {
        final Map<String, Double> values = new ConcurrentHashMap<>();
        final ProviderSpec dish = new ProviderSpec("dish", List.of(script(
                "{\"pop_ping_latency_ms\": 31.5, \"currently_obstructed\": false, \"note\": \"text is ignored\"}")
                .toString()), null, null, null, Duration.ofSeconds(1), Duration.ofSeconds(2));
        try (TriggerProviders providers = new TriggerProviders(List.of(dish), values::put)) {
            providers.poll(dish);
            assertThat(values).containsEntry("pop_ping_latency_ms", 31.5).containsEntry("currently_obstructed", 0.0)
                    .doesNotContainKey("note");
            final TriggerGate gate = new TriggerGate(() -> values, providers::stale);
            assertThat(gate.evaluate("pop_ping_latency_ms < 40 && currently_obstructed == 0").open()).isTrue();
            assertThat(gate.evaluate("pop_ping_latency_ms < 20").reason()).startsWith("trigger false");

            // Three seconds on, with no fresh reading, the same trigger must not decide on the old value.
            assertThat(providers.stale(Set.of("pop_ping_latency_ms_avg"), Instant.now().plusSeconds(3)))
                    .hasValueSatisfying(why -> assertThat(why).startsWith("stale: pop_ping_latency_ms last refreshed")
                            .contains("provider dish"));
            assertThat(providers.stale(Set.of("cpu"), Instant.now().plusSeconds(3))).isEmpty();
        }
    }

    @Test
    void shouldKeepTheLastValueWhenAProviderFailsAndMeasureTcpRttItself() throws IOException {
        final Map<String, Double> values = new ConcurrentHashMap<>();
        final ProviderSpec broken = new ProviderSpec("broken", List.of(script("not json").toString()), null, null,
                null, Duration.ofSeconds(1), Duration.ofSeconds(1));
        try (ServerSocket listener = new ServerSocket(0);
             TriggerProviders providers = new TriggerProviders(List.of(broken), values::put)) {
            providers.poll(broken);
            assertThat(values).isEmpty();
            final ProviderSpec rtt = new ProviderSpec("gateway-rtt", List.of(), null,
                    "127.0.0.1:" + listener.getLocalPort(), "pop_ping_latency_ms", Duration.ofSeconds(5),
                    Duration.ofSeconds(15));
            providers.poll(rtt);
            assertThat(values.get("pop_ping_latency_ms")).isBetween(0.0, 1_000.0);
        }
    }
}
