package dev.arcturus.sinks.mysql;

import static dev.arcturus.sinks.support.SinkFixtures.connected;
import static dev.arcturus.sinks.support.SinkFixtures.probe;
import static dev.arcturus.sinks.support.SinkFixtures.systemInfo;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.arcturus.sinks.delivery.SinkRecord;
import dev.arcturus.sinks.support.Sql;
import dev.arcturus.testing.SharedPlane;
import dev.arcturus.testing.TestServices;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retention job deletes telemetry past its age and nothing else (real MariaDB). */
class TelemetryRetentionTest {

    @Test
    void shouldDeleteOnlyTelemetryOlderThanTheRetention() throws Exception {
        final String node = SharedPlane.uniqueName("retention");
        final Instant now = Instant.parse("2026-11-22T12:00:00Z");
        try (HikariDataSource pool = MySqlWriter.pool(MySqlSinkConfig.of(TestServices.jdbcUrl(),
                TestServices.jdbcUser(), TestServices.jdbcPassword()))) {
            MySqlWriter.migrate(pool);
            final TableWriter samples = ArcturusTables.systemInfo("t");
            final TableWriter probes = ArcturusTables.regionProbeInfo("t");
            try (Connection connection = pool.getConnection()) {
                samples.write(connection, List.of(
                        record(systemInfo(node, now.minus(Duration.ofDays(8)), 1)),
                        record(systemInfo(node, now.minus(Duration.ofDays(6)), 2))));
                probes.write(connection, List.of(
                        record(probe(node, "x", now.minus(Duration.ofDays(7)).minusSeconds(1), List.of(connected(5)))),
                        record(probe(node, "x", now.minusSeconds(60), List.of(connected(5))))));
                connection.commit();
            }
            final long deleted = new TelemetryRetention(pool, Duration.ofDays(7), Clock.fixed(now, ZoneOffset.UTC))
                    .runOnce();

            assertThat(deleted).isGreaterThanOrEqualTo(2);
            assertThat(Sql.count("SELECT COUNT(*) FROM system_info WHERE node_id = ?", node)).isEqualTo(1);
            assertThat(Sql.count("SELECT COUNT(*) FROM region_probe_info WHERE source_node_id = ?", node)).isEqualTo(1);
        }
    }

    private static SinkRecord record(final org.apache.avro.specific.SpecificRecord value) {
        return new SinkRecord("t", 0, 0, "k", value);
    }
}
