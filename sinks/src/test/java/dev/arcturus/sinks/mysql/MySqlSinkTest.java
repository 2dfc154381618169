package dev.arcturus.sinks.mysql;

import static dev.arcturus.sinks.support.SinkFixtures.connected;
import static dev.arcturus.sinks.support.SinkFixtures.lost;
import static dev.arcturus.sinks.support.SinkFixtures.probe;
import static dev.arcturus.sinks.support.SinkFixtures.registration;
import static dev.arcturus.sinks.support.SinkFixtures.systemInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.NetworkMetric;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.sinks.delivery.SinkSettings;
import dev.arcturus.sinks.support.DeadLetterReader;
import dev.arcturus.sinks.support.Sql;
import dev.arcturus.testing.SharedPlane;
import dev.arcturus.testing.SharedPlaneExtension;
import dev.arcturus.testing.TcpProxy;
import dev.arcturus.testing.TestServices;
import dev.arcturus.testing.TopicProducer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The MySQL sink against the real broker and a real MariaDB (prepared by {@code ./arcturus test}). */
@ExtendWith(SharedPlaneExtension.class)
class MySqlSinkTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final SharedPlane plane;
    private String run;
    private MySqlTopics topics;

    MySqlSinkTest(final SharedPlane plane) {
        this.plane = plane;
    }

    /** node_region's ip is UNIQUE (seed 000): every run registers addresses of its own. */
    private String ip(final int host) {
        final int h = Math.floorMod(run.hashCode(), 65_536);
        return "10." + (h / 256) + "." + (h % 256) + "." + host;
    }

    @BeforeEach
    void isolate() {
        run = SharedPlane.uniqueName("mysql");
        topics = MySqlTopics.prefixed(run);
        plane.ensureTopics(topics.all());
    }

    private MySqlSink startSink(final String jdbcUrl, final String group) {
        return MySqlSink.start(new SinkSettings(group, endpoints(), 500, Duration.ofMillis(100), Duration.ofSeconds(1)),
                MySqlSinkConfig.of(jdbcUrl, TestServices.jdbcUser(), TestServices.jdbcPassword()), topics);
    }

    private PlaneEndpoints endpoints() {
        return new PlaneEndpoints(plane.bootstrapServers(), plane.registryUrl());
    }

    @Test
    void shouldKeepTheFiveTablesInStepWithTheTopics() {
        final Instant sampledAt = Instant.parse("2026-11-20T08:00:00.250Z");
        try (TopicProducer producer = new TopicProducer(plane)) {
            producer.send(topics.registrations(), run + "-a", registration(run + "-a", ip(1), "eu-west"));
            producer.send(topics.registrations(), run + "-b", registration(run + "-b", ip(2), "us-east"));
            producer.send(topics.registrations(), run + "-a", registration(run + "-a", ip(1), "eu-north"));
            producer.send(topics.registrations(), run + "-b", null);
            for (int i = 0; i < 3; i++) {
                producer.send(topics.systemInfo(), run + "-a", systemInfo(run + "-a", sampledAt.plusSeconds(i), i + 1));
            }
            producer.send(topics.probes(), run + "-a", probe(run + "-a", run + "-b", sampledAt,
                    List.of(connected(2_400), connected(1_100), lost(), connected(9_000))));
            producer.send(topics.probes(), run + "-a", probe(run + "-a", run + "-c", sampledAt, List.of(lost(), lost())));
            producer.send(topics.metrics(), run + "-a|" + run + "-b", metric(12.5, 40));
            producer.send(topics.metrics(), run + "-a|" + run + "-c", metric(99, 10));
            producer.send(topics.metrics(), run + "-a|" + run + "-c", null);
            final String domain = "a-very-long-subdomain-name-well-past-twenty-characters." + run + ".example.org";
            producer.send(topics.origins(), domain, DomainOrigin.newBuilder()
                    .setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()))
                    .setDomain(domain).setOriginIp("2001:db8:ffff::1").setOriginPort(8443).build());
            producer.flush();

            try (MySqlSink sink = startSink(TestServices.jdbcUrl(), run + "-sink")) {
                await().atMost(PATIENCE).until(() -> sink.runner().storedRecords() >= 13);
            }
            final List<Map<String, Object>> nodes = Sql.rows(
                    "SELECT node_id, ip, region, created_at FROM node_region WHERE node_id LIKE ?", run + "%");
            assertThat(nodes).singleElement().satisfies(row -> {
                assertThat(row).containsEntry("node_id", run + "-a").containsEntry("ip", ip(1))
                        .containsEntry("region", "eu-north");
                assertThat(row.get("created_at")).isEqualTo(LocalDateTime.parse("2026-11-01T10:00:00.123"));
            });
            assertThat(Sql.rows("SELECT timestamp, network_packets_recv FROM system_info WHERE node_id = ? "
                    + "ORDER BY timestamp", run + "-a")).extracting(r -> r.get("timestamp"))
                    .containsExactly(LocalDateTime.parse("2026-11-20T08:00:00.250"),
                            LocalDateTime.parse("2026-11-20T08:00:01.250"), LocalDateTime.parse("2026-11-20T08:00:02.250"));
            final List<Map<String, Object>> probes = Sql.rows("SELECT target_node_id, tcp_delay, tcp_delay_us, samples, "
                    + "lost, tcp_jitter_us, rtt_samples_us FROM region_probe_info WHERE source_node_id = ? "
                    + "ORDER BY target_node_id", run + "-a");
            assertThat(probes).hasSize(2);
            // Jitter: the mean of |1100 - 2400| and |9000 - 1100| µs, the lost sample skipped; the samples kept.
            assertThat(probes.get(0)).containsEntry("tcp_delay", 2).containsEntry("tcp_delay_us", 2_400L)
                    .containsEntry("samples", 4).containsEntry("lost", 1).containsEntry("tcp_jitter_us", 4_600L)
                    .containsEntry("rtt_samples_us", "2400,1100,,9000");
            assertThat(probes.get(1)).containsEntry("tcp_delay", null).containsEntry("lost", 2)
                    .containsEntry("tcp_jitter_us", null).containsEntry("rtt_samples_us", ",");
            assertThat(Sql.rows("SELECT link_latency, C FROM network_metrics WHERE link_key LIKE ?", run + "%"))
                    .singleElement().satisfies(row -> assertThat(row).containsEntry("link_latency", 12.5f)
                            .containsEntry("C", 40));
            assertThat(Sql.rows("SELECT origin_ip, origin_port FROM domain_origin WHERE domain = ?", domain))
                    .singleElement().satisfies(row -> assertThat(row).containsEntry("origin_ip", "2001:db8:ffff::1")
                            .containsEntry("origin_port", 8443));
        }
    }

    @Test
    void shouldYieldTheSameRowsWhenTheTopicsAreReplayedFromTheBeginning() {
        try (TopicProducer producer = new TopicProducer(plane)) {
            for (int i = 0; i < 50; i++) {
                producer.send(topics.systemInfo(), run + "-n" + (i % 5), systemInfo(run + "-n" + (i % 5),
                        Instant.parse("2026-11-20T08:00:00Z").plusSeconds(i), i + 1));
                producer.send(topics.metrics(), run + "-n" + (i % 5) + "|x", metric(i, i));
            }
            producer.flush();
        }
        final String snapshot = "SELECT node_id, timestamp, cpu_usage, load1 FROM system_info WHERE node_id LIKE ? "
                + "ORDER BY node_id, timestamp";
        final String links = "SELECT link_key, link_latency, C, updated_at FROM network_metrics WHERE link_key LIKE ? "
                + "ORDER BY link_key";
        try (MySqlSink sink = startSink(TestServices.jdbcUrl(), run + "-first")) {
            await().atMost(PATIENCE).until(() -> sink.runner().storedRecords() >= 100);
        }
        final List<Map<String, Object>> samplesBefore = Sql.rows(snapshot, run + "%");
        final List<Map<String, Object>> linksBefore = Sql.rows(links, run + "%");
        assertThat(samplesBefore).hasSize(50);
        assertThat(linksBefore).hasSize(5);

        // A new consumer group reads every topic from offset 0 again.
        try (MySqlSink replay = startSink(TestServices.jdbcUrl(), run + "-replay")) {
            await().atMost(PATIENCE).until(() -> replay.runner().storedRecords() >= 100);
        }
        assertThat(Sql.rows(snapshot, run + "%")).isEqualTo(samplesBefore);
        assertThat(Sql.rows(links, run + "%")).isEqualTo(linksBefore);
    }

    @Test
    void shouldLoseNothingWhenTheDatabaseGoesAwayMidStream() {
        final URI mariadb = URI.create(TestServices.jdbcUrl().substring("jdbc:".length()));
        try (TcpProxy proxy = TcpProxy.start(mariadb.getHost(), mariadb.getPort());
             TopicProducer producer = new TopicProducer(plane);
             MySqlSink sink = startSink("jdbc:mysql://127.0.0.1:" + proxy.port() + mariadb.getPath(), run + "-sink")) {
            final Instant start = Instant.parse("2026-11-20T09:00:00Z");
            for (int i = 0; i < 300; i++) {
                producer.send(topics.systemInfo(), run + "-n", systemInfo(run + "-n", start.plusMillis(i), i + 1));
            }
            producer.flush();
            await().atMost(PATIENCE).until(() -> sink.runner().storedRecords() >= 300);

            proxy.cut();
            for (int i = 300; i < 900; i++) {
                producer.send(topics.systemInfo(), run + "-n", systemInfo(run + "-n", start.plusMillis(i), i + 1));
            }
            producer.flush();
            // The sink is now failing and backing off; give it several attempts against the dead database.
            await().pollDelay(Duration.ofSeconds(3)).atMost(PATIENCE).until(() -> true);
            assertThat(sink.runner().storedRecords()).isEqualTo(300);

            proxy.restore();
            await().atMost(PATIENCE).until(() -> Sql.count("SELECT COUNT(*) FROM system_info WHERE node_id = ?",
                    run + "-n") == 900);
            assertThat(sink.runner().deadLetteredRecords()).isZero();
        }
    }

    @Test
    void shouldDeadLetterUndecodableAndRejectedRecordsAndKeepGoing() {
        try (TopicProducer producer = new TopicProducer(plane);
             MySqlSink sink = startSink(TestServices.jdbcUrl(), run + "-sink")) {
            producer.sendRaw(topics.systemInfo().name(), run + "-bad", new byte[] {0, 0, 0, 0, 42, 1, 2, 3});
            // A region longer than the column is a record the database refuses (SQL state 22001).
            producer.send(topics.registrations(), run + "-long", registration(run + "-long", ip(9), "r".repeat(100)));
            producer.send(topics.registrations(), run + "-ok", registration(run + "-ok", ip(10), "eu-west"));
            producer.flush();

            await().atMost(PATIENCE).until(() -> sink.runner().deadLetteredRecords() == 2
                    && Sql.count("SELECT COUNT(*) FROM node_region WHERE node_id = ?", run + "-ok") == 1);
            final List<ConsumerRecord<byte[], byte[]>> letters = DeadLetterReader.read(plane, run + "-sink.dlq", 2);
            assertThat(letters).extracting(DeadLetterReader::reason).anySatisfy(
                    reason -> assertThat(reason).startsWith("undecodable value"))
                    .anySatisfy(reason -> assertThat(reason).startsWith("rejected by the store").contains("region"));
            assertThat(letters).extracting(DeadLetterReader::sourceTopic)
                    .containsExactlyInAnyOrder(topics.systemInfo().name(), topics.registrations().name());
            assertThat(Sql.count("SELECT COUNT(*) FROM node_region WHERE node_id = ?", run + "-long")).isZero();
        }
    }

    private static NetworkMetric metric(final double latency, final int capacity) {
        return NetworkMetric.newBuilder()
                .setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()))
                .setSourceIp("10.0.0.1").setDestinationIp("10.0.0.2").setLinkLatencyMs(latency).setCpuMean(50)
                .setCpuVariance(4).setVirtualQueueCpuMean(1).setVirtualQueueCpuVariance(0).setCapacity(capacity)
                .setLinkScore(0.5).setLossRatio(0).setUpdatedAt(Instant.parse("2026-11-20T08:00:00.500Z")).build();
    }
}
