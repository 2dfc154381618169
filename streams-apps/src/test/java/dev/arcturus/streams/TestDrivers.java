package dev.arcturus.streams;

import dev.arcturus.config.PlaneEndpoints;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** A TopologyTestDriver with the apps' real settings, its own application id, and the real schema registry. */
public final class TestDrivers {
    private TestDrivers() {
    }

    public static TopologyTestDriver create(final Topology topology, final String registryUrl, final Path stateDir,
                                            final String appPrefix, final Instant start) {
        final String applicationId = appPrefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new TopologyTestDriver(topology, StreamsAppRunner.baseProperties(applicationId,
                new PlaneEndpoints("unused:9092", registryUrl), stateDir, 100, 1), start);
    }
}
