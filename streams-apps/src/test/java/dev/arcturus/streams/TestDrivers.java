package dev.arcturus.streams;

import dev.arcturus.config.PlaneEndpoints;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * A TopologyTestDriver with the apps' real settings and its own application id. The topologies take their registry
 * client directly, so the endpoints in the settings are never contacted: tests pass an in-memory registry and need
 * no broker.
 */
public final class TestDrivers {
    private TestDrivers() {
    }

    /** Settings that name no reachable broker or registry: a driver must never need one. */
    public static final PlaneEndpoints UNREACHABLE = new PlaneEndpoints("unused.invalid:9092",
            "http://unused.invalid:8081");

    public static TopologyTestDriver create(final Topology topology, final Path stateDir, final String appPrefix,
                                            final Instant start) {
        final String applicationId = appPrefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new TopologyTestDriver(topology, StreamsAppRunner.baseProperties(applicationId, UNREACHABLE, stateDir,
                100, 1), start);
    }
}
