package dev.arcturus.sinks.mysql.capture;

import static dev.arcturus.sinks.support.SinkFixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.NodeRole;
import dev.arcturus.avro.ProbeOutcome;
import dev.arcturus.avro.RegionProbe;
import dev.arcturus.avro.SystemInfo;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.sinks.delivery.SinkSettings;
import dev.arcturus.sinks.mysql.MySqlSink;
import dev.arcturus.sinks.mysql.MySqlSinkConfig;
import dev.arcturus.sinks.mysql.MySqlTopics;
import dev.arcturus.sinks.mysql.MySqlWriter;
import dev.arcturus.sinks.support.DeadLetterReader;
import dev.arcturus.testing.SharedPlane;
import dev.arcturus.testing.SharedPlaneExtension;
import dev.arcturus.testing.TestServices;
import dev.arcturus.testing.TopicProducer;
import dev.arcturus.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seed 000's own SQL against a real MariaDB (row-based binary log on, as {@code ./arcturus test} starts it): the
 * tables from {@code db init}, the seed's INSERT statements verbatim, then operators' updates and deletes, a bad row,
 * the sink's own writes coming back through the log, and a restart.
 */
@ExtendWith(SharedPlaneExtension.class)
class MySqlCaptureTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** Verbatim from seed 000 ("Usage Example"s). */
    private static final String SEED_NODE_REGION = """
            INSERT INTO node_region (ip, region, hostname, description)
            VALUES
            ('192.168.1.1', 'US-East', 'controller-01', 'Primary controller for US-East'),
            ('192.168.1.2', 'US-West', 'proxy-01', 'Edge proxy for US-West'),
            ('192.168.1.3', 'EU-Central', 'proxy-02', 'Edge proxy for EU-Central');""";
    private static final String SEED_REGION_PROBE_INFO = """
            INSERT INTO region_probe_info (source_ip, source_region, target_ip, target_region, tcp_delay, probe_time)
            VALUES
            ('192.168.1.1', 'US-East', '192.168.1.2', 'US-West', 45, NOW()),
            ('192.168.1.1', 'US-East', '192.168.1.3', 'EU-Central', 120, NOW());""";
    private static final String SEED_DOMAIN_ORIGIN = """
            INSERT INTO domain_origin (domain, origin_ip)
            VALUES
            ('example.com', '10.0.1.5'),
            ('api.example.com', '10.0.1.6'),
            ('cdn.example.com', '10.0.1.7');""";

    private final SharedPlane plane;
    private String run;
    private String database;
    private String jdbcUrl;
    private MySqlTopics topics;
    private MySqlSink sink;

    MySqlCaptureTest(final SharedPlane plane) {
        this.plane = plane;
    }

    @BeforeEach
    void isolate() throws SQLException {
        run = SharedPlane.uniqueName("capture");
        topics = MySqlTopics.prefixed(run);
        plane.ensureTopics(topics.all());
        // A database of its own: the seed's fixed addresses are UNIQUE in node_region.
        database = "arcturus_test_" + run.replaceAll("[^A-Za-z0-9]", "_");
        execute(TestServices.jdbcUrl(), "CREATE DATABASE " + database);
        jdbcUrl = TestServices.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        if (sink != null) {
            sink.close();
        }
        execute(TestServices.jdbcUrl(), "DROP DATABASE IF EXISTS " + database);
    }

    @Test
    void shouldTakeTheSeedsRowsIntoThePlaneAndFollowOperatorsChanges() throws SQLException {
        assertThat(MySqlWriter.initialise(config())).as("db init's schema version").matches("[0-9]+");
        execute(jdbcUrl, SEED_NODE_REGION);
        execute(jdbcUrl, SEED_REGION_PROBE_INFO);
        execute(jdbcUrl, SEED_DOMAIN_ORIGIN);

        // Rows inserted before the plane first starts arrive through the capture's snapshot.
        sink = startSink();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(latest(topics.registrations())).containsOnlyKeys(
                "controller-01", "proxy-01", "proxy-02"));
        final NodeRegistration controller = (NodeRegistration) latest(topics.registrations()).get("controller-01");
        assertThat(controller.getIp()).isEqualTo("192.168.1.1");
        assertThat(controller.getRegion()).isEqualTo("US-East");
        assertThat(controller.getDescription()).isEqualTo("Primary controller for US-East");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(latest(topics.origins())).containsOnlyKeys(
                "example.com", "api.example.com", "cdn.example.com"));
        // The sink writes the node ids back into the operator's rows; those writes come back through the log and
        // must change nothing.
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(column("SELECT node_id FROM node_region ORDER BY ip"))
                .containsExactly("controller-01", "proxy-01", "proxy-02"));

        // While it runs: an operator adds a proxy with its role, moves an origin, deletes a node.
        execute(jdbcUrl, "INSERT INTO node_region (ip, region, hostname, description, role) "
                + "VALUES ('192.168.1.4', 'AP-South', 'proxy-03', 'Edge proxy for AP-South', 'PROXY')");
        execute(jdbcUrl, "UPDATE domain_origin SET origin_ip = '10.0.9.9' WHERE domain = 'example.com'");
        execute(jdbcUrl, "DELETE FROM node_region WHERE ip = '192.168.1.3'");
        await().atMost(PATIENCE).untilAsserted(() -> {
            final Map<String, SpecificRecord> nodes = latest(topics.registrations());
            assertThat(nodes).containsOnlyKeys("controller-01", "proxy-01", "proxy-03");
            assertThat(((NodeRegistration) nodes.get("proxy-03")).getRole()).isEqualTo(NodeRole.PROXY);
            assertThat(((DomainOrigin) latest(topics.origins()).get("example.com")).getOriginIp())
                    .isEqualTo("10.0.9.9");
        });

        // Monitoring agents append probes as the seed shows (its statement again, verbatim): the first becomes a
        // probe round of the node at source_ip, and the sink's copy of it lands on the agent's row, not beside it;
        // the second targets the node just deleted and is dead-lettered (checked below).
        execute(jdbcUrl, SEED_REGION_PROBE_INFO);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(read(topics.probes())).singleElement()
                .satisfies(probe -> assertThat(probe.key()).isEqualTo("controller-01")));
        final RegionProbe toProxy = (RegionProbe) read(topics.probes()).get(0).value();
        assertThat(toProxy.getTargetNodeId()).isEqualTo("proxy-01");
        assertThat(toProxy.getSamples()).singleElement().satisfies(sample -> {
            assertThat(sample.getOutcome()).isEqualTo(ProbeOutcome.CONNECTED);
            assertThat(sample.getRttMicros()).isEqualTo(45_000L);
        });
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(column(
                "SELECT source_node_id FROM region_probe_info WHERE event_id = ?", toProxy.getMetadata().getEventId()
                        .toString())).containsExactly("controller-01"));

        // A monitoring agent appends system_info with the seed's columns only: it becomes the node's sample, and the
        // sink's copy lands on the agent's row.
        execute(jdbcUrl, """
                INSERT INTO system_info (ip, cpu_cores, cpu_model_name, cpu_mhz, cpu_cache_size, cpu_usage, memory_total,
                  memory_available, memory_used, memory_used_percent, disk_device, disk_total, disk_free, disk_used,
                  disk_used_percent, network_interface_name, network_bytes_sent, network_bytes_recv,
                  network_packets_sent, network_packets_recv, hostname, os, platform, platform_version, uptime, load1,
                  load5, load15, timestamp)
                VALUES ('192.168.1.2', 8, 'Xeon', 2400, 32768, 37.5, 16000000000, 8000000000, 8000000000, 50, 'sda',
                  500000000000, 250000000000, 250000000000, 50, 'eth0', 1000, 2000, 10, 20, 'proxy-01', 'linux',
                  'debian', '12', 3600, 0.5, 0.4, 0.3, NOW())""");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(read(topics.systemInfo())).singleElement()
                .satisfies(sample -> {
                    assertThat(sample.key()).isEqualTo("proxy-01");
                    assertThat(((SystemInfo) sample.value()).getCpuUsage()).isEqualTo(37.5);
                    assertThat(((SystemInfo) sample.value()).getLogicalCores()).as("defaults to cpu_cores").isEqualTo(8);
                }));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(column(
                "SELECT node_id FROM system_info WHERE event_id IS NOT NULL")).containsExactly("proxy-01"));

        // A node registered through the plane (coordinates, tags): the sink's row for it comes back through the log
        // and must not overwrite it or be echoed.
        try (TopicProducer producer = new TopicProducer(plane)) {
            producer.send(topics.registrations(), run + "-plane", registration(run + "-plane", "10.20.0.1", "eu-west"));
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                column("SELECT node_id FROM node_region WHERE ip = '10.20.0.1'")).containsExactly(run + "-plane"));

        // Rows the plane cannot take go to the dead-letter topic with the reason.
        execute(jdbcUrl, "INSERT INTO node_region (ip, region) VALUES ('not an address', 'US-East')");
        execute(jdbcUrl, "INSERT INTO region_probe_info (source_ip, source_region, target_ip, target_region, "
                + "tcp_delay, probe_time) VALUES ('172.16.0.9', 'US-East', '192.168.1.2', 'US-West', 30, NOW())");
        final List<ConsumerRecord<byte[], byte[]>> letters = DeadLetterReader.read(plane, run + "-sink.dlq", 3);
        assertThat(letters).extracting(DeadLetterReader::reason).containsExactlyInAnyOrder(
                "target_ip: no registered node or domain origin has address 192.168.1.3",
                "ip: 'not an address' is not an IPv4 or IPv6 address",
                "source_ip: no registered node has address 172.16.0.9");

        // Restart, with a change made while the capture was down: it resumes where it stopped.
        sink.close();
        sink = null;
        execute(jdbcUrl, "INSERT INTO domain_origin (domain, origin_ip, origin_port) VALUES ('video.example.com', "
                + "'10.0.1.8', 8443)");
        sink = startSink();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                ((DomainOrigin) latest(topics.origins()).get("video.example.com")).getOriginPort()).isEqualTo(8443));

        // Nothing lost, nothing twice: each change was published once, and nothing echoed the sink's own writes.
        // Nothing more may appear: an echo of the sink's own writes would show within seconds.
        final int published = read(topics.registrations()).size() + read(topics.origins()).size();
        await().during(Duration.ofSeconds(3)).atMost(PATIENCE).until(() -> read(topics.registrations()).size()
                + read(topics.origins()).size() == published);
        final Map<String, Integer> registrations = counts(topics.registrations());
        assertThat(registrations).containsEntry("controller-01", 1).containsEntry("proxy-01", 1)
                .containsEntry("proxy-02", 2) // registered, then the tombstone of the DELETE
                .containsEntry("proxy-03", 1).containsEntry(run + "-plane", 1);
        assertThat(counts(topics.origins())).containsEntry("example.com", 2).containsEntry("api.example.com", 1)
                .containsEntry("cdn.example.com", 1).containsEntry("video.example.com", 1);
        assertThat(read(topics.probes())).as("the agent's probe once").hasSize(1);
        assertThat(read(topics.systemInfo())).as("the agent's sample once").hasSize(1);
        assertThat(column("SELECT COUNT(*) FROM system_info")).as("no copy of it").containsExactly("1");
        assertThat(column("SELECT COUNT(*) FROM region_probe_info")).as("2 before the plane, then 1 taken in, 2 "
                + "refused, and no copy of the one taken in").containsExactly("5");
        final NodeRegistration planeNode = (NodeRegistration) latest(topics.registrations()).get(run + "-plane");
        assertThat(planeNode.getTags()).as("the plane's own fields survive").isNotEmpty();
    }

    private MySqlSink startSink() {
        return MySqlSink.start(new SinkSettings(run + "-sink", new PlaneEndpoints(plane.bootstrapServers(),
                plane.registryUrl()), 500, Duration.ofMillis(100), Duration.ofSeconds(1)), config(), topics);
    }

    private MySqlSinkConfig config() {
        return MySqlSinkConfig.of(jdbcUrl, TestServices.jdbcUser(), TestServices.jdbcPassword()).withCapture(true);
    }

    private static void execute(final String url, final String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, TestServices.jdbcUser(),
                TestServices.jdbcPassword());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private List<String> column(final String sql, final String... params) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, TestServices.jdbcUser(),
                TestServices.jdbcPassword());
             java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setString(i + 1, params[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                final List<String> values = new ArrayList<>();
                while (result.next()) {
                    values.add(result.getString(1));
                }
                return values;
            }
        }
    }

    /** The topic's latest value per key (tombstoned keys absent). */
    private Map<String, SpecificRecord> latest(final Topic<?> topic) {
        final Map<String, SpecificRecord> latest = new HashMap<>();
        read(topic).forEach(record -> {
            if (record.value() == null) {
                latest.remove(record.key());
            } else {
                latest.put(record.key(), record.value());
            }
        });
        return latest;
    }

    /** How many records (values and tombstones) each key has. */
    private Map<String, Integer> counts(final Topic<?> topic) {
        final Map<String, Integer> counts = new HashMap<>();
        read(topic).forEach(record -> counts.merge(record.key(), 1, Integer::sum));
        return counts;
    }

    private record Keyed(String key, SpecificRecord value) {
    }

    @SuppressWarnings("unchecked")
    private List<Keyed> read(final Topic<?> topic) {
        final Deserializer<SpecificRecord> values = (Deserializer<SpecificRecord>) topic.valueSerde(
                plane.registryClient()).deserializer();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            final List<Keyed> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(new Keyed(new String(record.key(), StandardCharsets.UTF_8), record.value() == null
                            ? null : values.deserialize(record.topic(), record.headers(), record.value())));
                }
            }
            return records;
        }
    }
}
