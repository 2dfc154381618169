package dev.arcturus.gateway;

import static dev.arcturus.gateway.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.arcturus.gateway.api.v1.DecisionOutcome;
import dev.arcturus.gateway.api.v1.GetJobRequest;
import dev.arcturus.gateway.api.v1.GetRunsRequest;
import dev.arcturus.gateway.api.v1.GetUserRequest;
import dev.arcturus.gateway.api.v1.JobDecision;
import dev.arcturus.gateway.api.v1.JobEvent;
import dev.arcturus.gateway.api.v1.JobSpec;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.ListJobsRequest;
import dev.arcturus.gateway.api.v1.RevokeTokenRequest;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.ScheduleJobRequest;
import dev.arcturus.gateway.api.v1.UpdateRunRequest;
import dev.arcturus.gateway.api.v1.WatchRequest;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.topics.JobIds;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A researcher's job through the real pipeline: gRPC → Kafka → admission → decision → view → gRPC. */
class GatewayFlowTest {
    private static final Instant DAY = Instant.parse("2027-03-01T00:00:00Z");
    private final GatewayFixture gateway = GatewayFixture.instance();

    @Test
    void shouldScheduleRejectConflictsAndShowTheCallerItsOwnJob() {
        final String alice = unique("alice");
        final String node = unique("node");
        final String aliceToken = gateway.newUser(alice, Role.USER);
        gateway.newNode(node, Role.NODE);

        final JobDecision accepted = gateway.jobs(aliceToken).scheduleJob(ScheduleJobRequest.newBuilder()
                .setJob(cron(unique("job"), node, "0 * * * *")).build());
        assertThat(accepted.getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED);
        assertThat(accepted.getJob().getOwnerId()).isEqualTo(alice);
        // Read-your-writes: the next read shows the job at once.
        assertThat(gateway.jobs(aliceToken).getJob(GetJobRequest.newBuilder().setId(accepted.getJobId()).build())
                .getVersion()).isEqualTo(1);

        final JobDecision conflict = gateway.jobs(aliceToken).scheduleJob(ScheduleJobRequest.newBuilder()
                .setJob(cron(unique("job"), node, "30 * * * *").toBuilder().setLengthSeconds(3_000)).build());
        assertThat(conflict.getOutcome()).isEqualTo(DecisionOutcome.REJECTED);
        assertThat(conflict.getConflictsList()).isNotEmpty()
                .allSatisfy(c -> assertThat(c.getJobId()).isEqualTo(accepted.getJobId()));

        assertThat(gateway.jobs(aliceToken).listJobs(ListJobsRequest.getDefaultInstance()).getJobsList())
                .extracting(job -> job.getSpec().getId()).containsExactly(accepted.getJobId());
    }

    @Test
    void shouldNameAJobLeftUnnamedInItsNodesPartitionAndShowItAtOnce() {
        final String bob = unique("bob");
        final String node = unique("node");
        final String token = gateway.newUser(bob, Role.USER);
        gateway.newNode(node, Role.NODE);

        final JobDecision accepted = gateway.jobs(token).scheduleJob(ScheduleJobRequest.newBuilder()
                .setJob(cron("", node, "10 * * * *")).build());

        assertThat(accepted.getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED);
        assertThat(accepted.getJobId()).startsWith(JobIds.PREFIX);
        assertThat(JobIds.coPartitioned(accepted.getJobId(), node)).isTrue();
        // The answer carries the job as stored (from the decision record), and the next read shows it.
        assertThat(accepted.getJob().getSpec().getId()).isEqualTo(accepted.getJobId());
        assertThat(accepted.getJob().getAssignedNodeIdsList()).containsExactly(node);
        assertThat(gateway.jobs(token).getJob(GetJobRequest.newBuilder().setId(accepted.getJobId()).build())
                .getVersion()).isEqualTo(1);
    }

    @Test
    void shouldAnswerInvalidRequestsWithTheFieldAndUnknownIdsWithNotFound() {
        final String token = gateway.newUser(unique("carol"), Role.USER);
        final String node = unique("node");
        gateway.newNode(node, Role.NODE);

        assertThatThrownBy(() -> gateway.jobs(token).scheduleJob(ScheduleJobRequest.newBuilder()
                .setJob(cron(unique("job"), node, "0 * * * *").toBuilder().setLengthSeconds(0)).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("job.length_seconds: must be positive");
                });
        assertThatThrownBy(() -> gateway.jobs(token).scheduleJob(ScheduleJobRequest.newBuilder()
                .setJob(cron(unique("job"), node, "61 * * * *")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("job.schedule:");
                });
        assertThatThrownBy(() -> gateway.jobs(token).scheduleJob(ScheduleJobRequest.newBuilder()
                .setJob(cron(unique("job"), "no-such-node", "0 * * * *")).build()))
                .hasMessageContaining("INVALID_ARGUMENT: job.node_id: node 'no-such-node' is not registered");
        assertThatThrownBy(() -> gateway.jobs(token).scheduleJob(ScheduleJobRequest.newBuilder()
                .setJob(cron(unique("job"), node, "0 * * * *").toBuilder().setTrigger("cpu < 50 && rain < 2")).build()))
                .hasMessageContaining("INVALID_ARGUMENT: job.trigger: unknown variable 'rain' at column 13");
        assertThatThrownBy(() -> gateway.jobs(token).getJob(GetJobRequest.newBuilder().setId("missing-job").build()))
                .hasMessageContaining("NOT_FOUND: job 'missing-job' does not exist");
    }

    @Test
    void shouldRefuseAnUnrunnableContainerSectionAtScheduleTimeNamingTheField() {
        final String token = gateway.newUser(unique("dora"), Role.USER);
        final String node = unique("node");
        gateway.newNode(node, Role.NODE);
        final java.util.Map<String, String> refused = java.util.Map.of(
                "docker:\n  image: x\n  command: ping -c 3 example.org\n", "job.config.docker.command: must be a list",
                "docker:\n  image: x\n  network: host\n", "job.config.docker.network: bridge or none",
                "docker:\n  image: --privileged\n", "job.config.docker.image: not an image reference",
                "docker:\n  image: x\n  privileged: true\n", "job.config.docker.privileged: not allowed",
                "docker:\n  image: x\n  cap_add: [NET_ADMIN]\n", "job.config.docker.cap_add: not allowed",
                "docker:\n  image: x\n  volumes: [/:/host]\n", "job.config.docker.volumes: not allowed",
                "docker:\n  image: x\n  pid: host\n", "job.config.docker.pid: not allowed",
                "docker:\n  image: x\nparams: {colour: red}\n", "job.config.params.colour: unknown");
        refused.forEach((config, expected) -> assertThatThrownBy(() -> gateway.jobs(token).scheduleJob(
                ScheduleJobRequest.newBuilder().setJob(cron(unique("job"), node, "0 * * * *").toBuilder()
                        .setConfig(config)).build()))
                .as(config)
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith(expected);
                }));
        assertThat(gateway.jobs(token).scheduleJob(ScheduleJobRequest.newBuilder().setJob(cron(unique("job"), node,
                "0 * * * *").toBuilder().setConfig("docker:\n  image: registry.example.org:5000/leo/probe:1.2\n"
                + "params: {mode: docker, deploy: '-', execute: '-', finish: '-'}\n")).build()).getOutcome())
                .isEqualTo(DecisionOutcome.ACCEPTED);
    }

    @Test
    void shouldFoldNodeRunReportsAndShowRunsOnlyToTheirOwner() {
        final String dave = unique("dave");
        final String daveToken = gateway.newUser(dave, Role.USER);
        final String eveToken = gateway.newUser(unique("eve"), Role.USER);
        final String node = unique("node");
        final String nodeToken = gateway.newNode(node, Role.NODE);
        final String jobId = gateway.jobs(daveToken).scheduleJob(ScheduleJobRequest.newBuilder()
                .setJob(cron(unique("job"), node, "0 3 * * *")).build()).getJobId();

        final String runId = unique("run");
        for (final RunStatus status : List.of(RunStatus.DEPLOYING, RunStatus.EXECUTING, RunStatus.COMPLETED)) {
            gateway.runs(nodeToken).updateRun(UpdateRunRequest.newBuilder().setRunId(runId).setJobId(jobId)
                    .setNodeId(node).setScheduledAt(Timestamps.of(DAY.plusSeconds(3 * 3600))).setStatus(status)
                    .setArtifactUrl(status == RunStatus.COMPLETED ? "https://blob.example/" + runId + ".zip" : "")
                    .build());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.runs(daveToken).getRuns(GetRunsRequest.newBuilder()
                .setRunId(runId).build()).getRunsList().stream().anyMatch(r -> r.getStatus() == RunStatus.COMPLETED));
        assertThat(gateway.runs(daveToken).getRuns(GetRunsRequest.newBuilder().setRunId(runId).build()).getRuns(0))
                .satisfies(run -> {
                    assertThat(run.getOwnerId()).isEqualTo(dave);
                    assertThat(run.getArtifactUrl()).isEqualTo("https://blob.example/" + runId + ".zip");
                });
        assertThat(gateway.runs(eveToken).getRuns(GetRunsRequest.newBuilder().setRunId(runId).build()).getRunsList())
                .as("another user's runs are invisible").isEmpty();
        assertThatThrownBy(() -> gateway.runs(daveToken).updateRun(UpdateRunRequest.newBuilder().setRunId(runId)
                .setJobId(jobId).setNodeId(node).setScheduledAt(Timestamps.of(DAY)).setStatus(RunStatus.FAILED).build()))
                .as("users cannot forge run reports").hasMessageContaining("PERMISSION_DENIED");
    }

    @Test
    void shouldPushJobEventsAndResumeFromTheLastToken() {
        final String token = gateway.newUser(unique("frank"), Role.USER);
        final String node = unique("node");
        gateway.newNode(node, Role.NODE);
        final List<JobEvent> events = new CopyOnWriteArrayList<>();
        gateway.jobsAsync(token).watchJobEvents(WatchRequest.getDefaultInstance(), GatewayFixture.collect(events));
        await().atMost(Duration.ofSeconds(30)).until(() -> !events.isEmpty() && events.get(0).getBookmark());
        final String first = gateway.jobs(token).scheduleJob(ScheduleJobRequest.newBuilder()
                .setJob(cron(unique("job"), node, "0 1 * * *")).build()).getJobId();
        await().atMost(Duration.ofSeconds(30)).until(() -> events.stream()
                .anyMatch(e -> e.getDecision().getJobId().equals(first)));
        final String resumeAfterFirst = events.stream().filter(e -> e.getDecision().getJobId().equals(first))
                .findFirst().orElseThrow().getResumeToken();

        final String second = gateway.jobs(token).scheduleJob(ScheduleJobRequest.newBuilder()
                .setJob(cron(unique("job"), node, "0 2 * * *")).build()).getJobId();
        final List<JobEvent> resumed = new CopyOnWriteArrayList<>();
        gateway.jobsAsync(token).watchJobEvents(WatchRequest.newBuilder().setResumeToken(resumeAfterFirst).build(),
                GatewayFixture.collect(resumed));
        await().atMost(Duration.ofSeconds(30)).until(() -> resumed.stream()
                .anyMatch(e -> e.getDecision().getJobId().equals(second)));
        assertThat(resumed).noneMatch(e -> e.getDecision().getJobId().equals(first));
    }

    @Test
    void shouldShowTheOwnersWatchEveryDecisionOnItsJobsRejectionsIncluded() {
        final String grace = unique("grace");
        final String token = gateway.newUser(grace, Role.USER);
        final String otherToken = gateway.newUser(unique("heidi"), Role.USER);
        final String node = unique("node");
        gateway.newNode(node, Role.NODE);
        final List<JobEvent> events = new CopyOnWriteArrayList<>();
        final List<JobEvent> othersEvents = new CopyOnWriteArrayList<>();
        gateway.jobsAsync(token).watchJobEvents(WatchRequest.getDefaultInstance(), GatewayFixture.collect(events));
        gateway.jobsAsync(otherToken).watchJobEvents(WatchRequest.getDefaultInstance(),
                GatewayFixture.collect(othersEvents));
        await().atMost(Duration.ofSeconds(30)).until(() -> !events.isEmpty() && !othersEvents.isEmpty());

        final JobDecision accepted = gateway.jobs(token).scheduleJob(ScheduleJobRequest.newBuilder()
                .setJob(cron(unique("job"), node, "0 5 * * *")).build());
        final JobDecision rejected = gateway.jobs(token).scheduleJob(ScheduleJobRequest.newBuilder()
                .setJob(cron(unique("job"), node, "0 5 * * *")).build());
        assertThat(rejected.getOutcome()).isEqualTo(DecisionOutcome.REJECTED);

        // The rejected job never exists, so only the decision's own requester/owner can route it to its watch.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events.stream()
                .filter(JobEvent::hasDecision).map(e -> e.getDecision().getJobId() + "=" + e.getDecision().getOutcome()))
                .contains(accepted.getJobId() + "=" + DecisionOutcome.ACCEPTED,
                        rejected.getJobId() + "=" + DecisionOutcome.REJECTED));
        assertThat(othersEvents).filteredOn(JobEvent::hasDecision).noneMatch(e ->
                e.getDecision().getJobId().equals(accepted.getJobId())
                        || e.getDecision().getJobId().equals(rejected.getJobId()));
    }

    @Test
    void shouldRejectARevokedTokenAtOnce() {
        final String grace = unique("grace");
        final String token = gateway.newUser(grace, Role.USER);
        assertThat(gateway.users(token).getUser(GetUserRequest.newBuilder().setId(grace).build()).getId())
                .isEqualTo(grace);
        gateway.users(token).revokeToken(RevokeTokenRequest.newBuilder().setId(grace).build());
        assertThatThrownBy(() -> gateway.users(token).getUser(GetUserRequest.newBuilder().setId(grace).build()))
                .hasMessageContaining("UNAUTHENTICATED");
    }

    @Test
    void shouldAuditEveryWriteWithItsPrincipalAndOutcome() {
        final String henry = unique("henry");
        final String token = gateway.newUser(henry, Role.USER);
        final String node = unique("node");
        gateway.newNode(node, Role.NODE);
        final String jobId = gateway.jobs(token).scheduleJob(ScheduleJobRequest.newBuilder()
                .setJob(cron(unique("job"), node, "0 4 * * *")).build()).getJobId();
        gateway.jobs(token).getJob(GetJobRequest.newBuilder().setId(jobId).build());
        assertThatThrownBy(() -> gateway.jobs(token).deleteJobsOnNode(
                dev.arcturus.gateway.api.v1.DeleteJobsOnNodeRequest.newBuilder().setNodeId(node).build()))
                .hasMessageContaining("PERMISSION_DENIED");

        final List<dev.arcturus.avro.AuditEntry> entries = new CopyOnWriteArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, dev.arcturus.avro.AuditEntry>(
                java.util.Map.of(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        dev.arcturus.testing.SharedPlane.instance().bootstrapServers(),
                        org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, unique("audit-reader"),
                        org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                dev.arcturus.topics.TopicCatalog.AUDIT.valueSerde(dev.arcturus.testing.SharedPlane.instance()
                        .registryClient()).deserializer())) {
            consumer.subscribe(List.of(dev.arcturus.topics.TopicCatalog.AUDIT.name()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (henry.equals(r.key())) {
                        entries.add(r.value());
                    }
                });
                return entries.size() >= 2;
            });
        }
        assertThat(entries).extracting(e -> e.getMethod() + " " + e.getStatusCode()).containsExactlyInAnyOrder(
                "arcturus.v1.JobService/ScheduleJob OK", "arcturus.v1.JobService/DeleteJobsOnNode PERMISSION_DENIED");
        assertThat(entries).allSatisfy(e -> assertThat(e.getRole()).isEqualTo(dev.arcturus.avro.UserRole.USER));
    }

    private static JobSpec cron(final String id, final String node, final String schedule) {
        return JobSpec.newBuilder().setId(id).setNodeId(node).setType(JobType.CRON).setSchedule(schedule)
                .setStart(Timestamps.of(DAY)).setEnd(Timestamps.of(DAY.plus(Duration.ofDays(2)))).setLengthSeconds(600).setExclusive(true)
                .setConfig("docker:\n  image: arcturus/busybox:test\n").build();
    }
}
