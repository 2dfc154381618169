package dev.arcturus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.NodeRole;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.launcher.plane.PlaneSettings;
import dev.arcturus.launcher.plane.RunningPlane;
import dev.arcturus.sinks.mongo.MongoSinkConfig;
import dev.arcturus.sinks.mongo.Publishers;
import dev.arcturus.sinks.mysql.MySqlSinkConfig;
import dev.arcturus.testing.TestServices;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./arcturus up} with both databases configured: a node registered on the plane lands in MySQL and MongoDB. */
class PlaneSinksTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldKeepBothDatabasesInStepWhenTheyAreConfigured() throws Exception {
        final String nodeId = "node-" + UUID.randomUUID().toString().substring(0, 8);
        // node_region's ip is UNIQUE (seed 000): an address of this run's own.
        final int host = Math.floorMod(nodeId.hashCode(), 65_536);
        final String ip = "10.77." + (host / 256) + "." + (host % 256);
        final MongoServer mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        final String mongoUri = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort();
        try (RunningPlane plane = RunningPlane.start(new PlaneSettings(dataDir, "127.0.0.1", 0, 0, 0, Optional.empty(),
                Optional.empty(), (short) 1));
             MongoClient reader = MongoClients.create(mongoUri)) {
            final List<String> sinks = plane.startSinks(
                    Optional.of(MySqlSinkConfig.of(TestServices.jdbcUrl(), TestServices.jdbcUser(),
                            TestServices.jdbcPassword())),
                    Optional.of(new MongoSinkConfig(mongoUri, "leotest")));
            assertThat(sinks).hasSize(2);

            try (KafkaProducer<String, NodeRegistration> producer = new KafkaProducer<>(
                    plane.endpoints().clientProperties(), new StringSerializer(),
                    TopicCatalog.NODE_REGISTRATION.valueSerde(plane.endpoints().registryClient()).serializer())) {
                producer.send(new ProducerRecord<>(TopicCatalog.NODE_REGISTRATION.name(), nodeId, NodeRegistration
                        .newBuilder().setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()))
                        .setNodeId(nodeId).setIp(ip).setRegion("ap-south").setRole(NodeRole.MEASUREMENT)
                        .setTags(List.of()).setRegisteredAt(Instant.now()).build())).get();
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> regionInMySql(nodeId).isPresent()
                    && !nodesInMongo(reader, nodeId).isEmpty());
            assertThat(regionInMySql(nodeId)).contains("ap-south");
            assertThat(nodesInMongo(reader, nodeId).get(0)).containsEntry("ip", ip)
                    .containsEntry("region", "ap-south");
        } finally {
            mongo.shutdownNow();
        }
    }

    private static Optional<String> regionInMySql(final String nodeId) throws Exception {
        try (Connection connection = DriverManager.getConnection(TestServices.jdbcUrl(), TestServices.jdbcUser(),
                TestServices.jdbcPassword());
             PreparedStatement query = connection.prepareStatement("SELECT region FROM node_region WHERE node_id = ?")) {
            query.setString(1, nodeId);
            try (ResultSet result = query.executeQuery()) {
                return result.next() ? Optional.of(result.getString(1)) : Optional.empty();
            }
        }
    }

    private static List<Document> nodesInMongo(final MongoClient reader, final String nodeId) {
        return Publishers.await(reader.getDatabase("leotest").getCollection("nodes")
                .find(new Document("_id", nodeId)), Duration.ofSeconds(10));
    }
}
