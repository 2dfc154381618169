package dev.arcturus.sinks.mongo;

import static dev.arcturus.sinks.support.SinkFixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.arcturus.avro.GlobalConfig;
import dev.arcturus.avro.JobKind;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.JobStatus;
import dev.arcturus.avro.LivenessState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.avro.RunState;
import dev.arcturus.avro.RunStatus;
import dev.arcturus.avro.Task;
import dev.arcturus.avro.User;
import dev.arcturus.avro.UserRole;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.sinks.delivery.SinkSettings;
import dev.arcturus.testing.SampleRecords;
import dev.arcturus.testing.SharedPlane;
import dev.arcturus.testing.SharedPlaneExtension;
import dev.arcturus.testing.TcpProxy;
import dev.arcturus.testing.TopicProducer;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The MongoDB sink against the real broker and mongo-java-server (the wire protocol, in memory). */
@ExtendWith(SharedPlaneExtension.class)
class MongoSinkTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final SharedPlane plane;
    private MongoServer server;
    private InetSocketAddress address;
    private MongoClient reader;
    private String run;
    private MongoTopics topics;

    MongoSinkTest(final SharedPlane plane) {
        this.plane = plane;
    }

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        address = server.getLocalAddress();
        reader = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
        run = SharedPlane.uniqueName("mongo");
        topics = MongoTopics.prefixed(run);
        plane.ensureTopics(topics.all());
    }

    @AfterEach
    void stop() {
        reader.close();
        server.shutdownNow();
    }

    private MongoSink startSink(final int port, final String group) {
        return MongoSink.start(new SinkSettings(group, new PlaneEndpoints(plane.bootstrapServers(), plane.registryUrl()),
                500, Duration.ofMillis(100), Duration.ofSeconds(1)),
                new MongoSinkConfig("mongodb://127.0.0.1:" + port, "leotest"), topics);
    }

    private MongoDatabase leotest() {
        return reader.getDatabase("leotest");
    }

    @Test
    void shouldKeepLeoScopesCollectionsInStepWithoutSecrets() {
        try (TopicProducer producer = new TopicProducer(plane)) {
            producer.send(topics.jobs(), "job-1", job("job-1", "node-1"));
            producer.send(topics.jobs(), "job-2", job("job-2", "node-1"));
            producer.send(topics.jobs(), "job-2", null);
            producer.send(topics.runs(), "run-1", run("run-1", "job-1", RunStatus.COMPLETED));
            producer.send(topics.registrations(), "node-1", registration("node-1", "10.0.0.1", "eu-west"));
            producer.send(topics.liveness(), "node-1", liveness("node-1", LivenessState.UP));
            producer.send(topics.tasks(), "task-1", task("task-1"));
            producer.send(topics.users(), "alice", user("alice"));
            producer.send(topics.config(), "global", config());
            producer.flush();
            try (MongoSink sink = startSink(address.getPort(), run + "-sink")) {
                await().atMost(PATIENCE).until(() -> sink.runner().storedRecords() >= 9);
            }
        }
        assertThat(find("jobs", new Document())).singleElement().satisfies(job -> {
            assertThat(job).containsEntry("_id", "job-1").containsEntry("id", "job-1").containsEntry("nodeid", "node-1")
                    .containsEntry("type", "cron").containsEntry("schedule", "*/5 * * * *")
                    .containsEntry("overhead", true).containsEntry("length_secs", 60)
                    .containsEntry("start_date", "2026-11-20T00:00:00Z").containsEntry("status", "active");
            assertThat(job.getDate("expire_at")).isEqualTo(Date.from(Instant.parse("2026-11-30T00:00:00Z")));
        });
        assertThat(first("runs", new Document("runid", "run-1")))
                .containsEntry("jobid", "job-1").containsEntry("status", "completed").containsEntry("exit_code", 0)
                .containsEntry("blob_url", "https://blob.example/run-1.zip");
        final Document node = first("nodes", new Document("nodeid", "node-1"));
        assertThat(node).containsEntry("ip", "10.0.0.1").containsEntry("region", "eu-west")
                .containsEntry("liveness", "up").containsKey("last_active").containsEntry("flap_count", 0);
        assertThat(first("tasks", new Document())).containsEntry("taskid", "task-1")
                .containsEntry("task_type", "server_start");
        final Document alice = first("users", new Document());
        assertThat(alice).containsEntry("id", "alice").containsEntry("role", "user");
        assertThat(alice.toJson()).doesNotContain("sha256").doesNotContain("token_hash").doesNotContain("tokenHash");
        final Document global = first("config", new Document());
        assertThat(global.get("datastore", Document.class).get("blob", Document.class))
                .containsEntry("container", "artifacts").containsEntry("artifactPath", "leotest");
        assertThat(global.toJson()).doesNotContain("vault://");
    }

    @Test
    void shouldCreateUniqueQueryAndTtlIndexes() {
        try (MongoSink sink = startSink(address.getPort(), run + "-sink")) {
            final Map<String, Document> jobs = indexes("jobs");
            assertThat(jobs.get("uq_id")).containsEntry("unique", true);
            assertThat(jobs.get("ttl_expire_at").get("expireAfterSeconds", Number.class).longValue()).isZero();
            assertThat(indexes("runs")).containsKeys("uq_runid", "run_query_index");
            assertThat(indexes("nodes")).containsKeys("uq_nodeid", "node_query_index");
            assertThat(indexes("tasks")).containsKeys("uq_taskid", "ttl_expire_at");
            assertThat(indexes("users").get("uq_id")).containsEntry("unique", true);
        }
    }

    @Test
    void shouldYieldTheSameDocumentsWhenReplayedAndLoseNothingWhenMongoGoesAway() {
        try (TcpProxy proxy = TcpProxy.start("127.0.0.1", address.getPort());
             TopicProducer producer = new TopicProducer(plane);
             MongoSink sink = startSink(proxy.port(), run + "-sink")) {
            for (int i = 0; i < 200; i++) {
                producer.send(topics.runs(), "run-" + i, run("run-" + i, "job-" + (i % 7), RunStatus.EXECUTING));
            }
            producer.flush();
            await().atMost(PATIENCE).until(() -> sink.runner().storedRecords() >= 200);

            proxy.cut();
            for (int i = 0; i < 400; i++) {
                producer.send(topics.runs(), "run-" + i, run("run-" + i, "job-" + (i % 7), RunStatus.COMPLETED));
            }
            producer.flush();
            await().pollDelay(Duration.ofSeconds(3)).atMost(PATIENCE).until(() -> true);
            assertThat(sink.runner().storedRecords()).isEqualTo(200);

            proxy.restore();
            await().atMost(PATIENCE).until(() -> find("runs", new Document("status", "completed")).size() == 400);
        }
        final List<Document> before = allRuns();
        try (MongoSink replay = startSink(address.getPort(), run + "-replay")) {
            await().atMost(PATIENCE).until(() -> replay.runner().storedRecords() >= 600);
        }
        assertThat(allRuns()).hasSize(400).isEqualTo(before);
    }

    private List<Document> allRuns() {
        return Publishers.await(leotest().getCollection("runs").find().sort(Sorts.ascending("_id")), PATIENCE);
    }

    private List<Document> find(final String collection, final Document filter) {
        return Publishers.await(leotest().getCollection(collection).find(filter), PATIENCE);
    }

    private Document first(final String collection, final Document filter) {
        final List<Document> found = find(collection, filter);
        assertThat(found).as("documents in %s matching %s", collection, filter).isNotEmpty();
        return found.get(0);
    }

    private Map<String, Document> indexes(final String collection) {
        final Map<String, Document> byName = new java.util.HashMap<>();
        Publishers.await(leotest().getCollection(collection).listIndexes(), PATIENCE)
                .forEach(index -> byName.put(index.getString("name"), index));
        return byName;
    }

    private static JobState job(final String jobId, final String nodeId) {
        final JobState state = SampleRecords.sample(JobState.class, jobId.hashCode());
        state.setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()));
        state.setJobId(jobId);
        state.setStatus(JobStatus.ACTIVE);
        state.setAssignedNodeIds(List.of(nodeId));
        state.getSpec().setJobId(jobId);
        state.getSpec().setKind(JobKind.CRON);
        state.getSpec().setSchedule("*/5 * * * *");
        state.getSpec().setTargetNodeId(nodeId);
        state.getSpec().setExclusive(true);
        state.getSpec().setLengthSeconds(60);
        state.getSpec().setWindowStart(Instant.parse("2026-11-20T00:00:00Z"));
        state.getSpec().setWindowEnd(Instant.parse("2026-11-30T00:00:00Z"));
        return state;
    }

    private static RunState run(final String runId, final String jobId, final RunStatus status) {
        final RunState run = SampleRecords.sample(RunState.class, runId.hashCode());
        run.setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()));
        run.setRunId(runId);
        run.setJobId(jobId);
        run.setStatus(status);
        run.setExitCode(0);
        run.setArtifactBlob("https://blob.example/" + runId + ".zip");
        return run;
    }

    private static NodeLiveness liveness(final String nodeId, final LivenessState state) {
        final NodeLiveness liveness = SampleRecords.sample(NodeLiveness.class, 5);
        liveness.setNodeId(nodeId);
        liveness.setState(state);
        liveness.setFlapCount(0);
        return liveness;
    }

    private static Task task(final String taskId) {
        final Task task = SampleRecords.sample(Task.class, 6);
        task.setTaskId(taskId);
        task.setType(dev.arcturus.avro.TaskType.SERVER_START);
        return task;
    }

    private static User user(final String userId) {
        final User user = SampleRecords.sample(User.class, 7);
        user.setUserId(userId);
        user.setRole(UserRole.USER);
        user.setTokenHash("sha256:0123456789abcdef");
        return user;
    }

    private static GlobalConfig config() {
        final GlobalConfig config = SampleRecords.sample(GlobalConfig.class, 8);
        config.setArtifactContainer("artifacts");
        config.setArtifactPathPrefix("leotest");
        config.setBlobCredentialRef("vault://storage/artifacts");
        return config;
    }
}
