package dev.arcturus.connector;

import dev.arcturus.connector.providers.ProviderSpec;
import java.time.Duration;
import java.util.List;

/**
 * What a connector measures and serves besides running jobs.
 *
 * @param systemInfoInterval how often a {@code system_info} row is sent (OSHI)
 * @param probeInterval      how often every peer node and domain origin is probed
 * @param probeSamples       TCP connects per target per round
 * @param probeTimeout       connect timeout per sample
 * @param probePort          the port every node's connector answers probes on (the plane-wide convention; 0 = no
 *                           responder on this node)
 * @param kernelService      whether privileged runs may use the kernel service (needs nsenter and root)
 * @param providers          trigger providers polled on this node (dish, satellite, weather values, ...)
 */
public record TelemetrySettings(Duration systemInfoInterval, Duration probeInterval, int probeSamples,
                                Duration probeTimeout, int probePort, boolean kernelService,
                                List<ProviderSpec> providers) {
    public TelemetrySettings(final Duration systemInfoInterval, final Duration probeInterval, final int probeSamples,
                             final Duration probeTimeout, final int probePort, final boolean kernelService) {
        this(systemInfoInterval, probeInterval, probeSamples, probeTimeout, probePort, kernelService, List.of());
    }

    public static final int DEFAULT_PROBE_PORT = 50055;

    public static TelemetrySettings defaults() {
        return new TelemetrySettings(Duration.ofSeconds(10), Duration.ofSeconds(30), 5, Duration.ofSeconds(2),
                DEFAULT_PROBE_PORT, true);
    }

    public TelemetrySettings {
        providers = List.copyOf(providers);
        positive("systemInfoInterval", systemInfoInterval);
        positive("probeInterval", probeInterval);
        positive("probeTimeout", probeTimeout);
        if (probeSamples < 1 || probeSamples > 20) {
            throw new IllegalArgumentException("probeSamples: 1 to 20, was " + probeSamples);
        }
        if (probePort < 0 || probePort > 65_535) {
            throw new IllegalArgumentException("probePort: 0 to 65535, was " + probePort);
        }
    }

    public TelemetrySettings withIntervals(final Duration systemInfo, final Duration probes) {
        return new TelemetrySettings(systemInfo, probes, probeSamples, probeTimeout, probePort, kernelService,
                providers);
    }

    public TelemetrySettings withProbePort(final int port) {
        return new TelemetrySettings(systemInfoInterval, probeInterval, probeSamples, probeTimeout, port, kernelService,
                providers);
    }

    public TelemetrySettings withProviders(final List<ProviderSpec> newProviders) {
        return new TelemetrySettings(systemInfoInterval, probeInterval, probeSamples, probeTimeout, probePort,
                kernelService, newProviders);
    }

    private static void positive(final String name, final Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": must be positive, was " + value);
        }
    }
}
