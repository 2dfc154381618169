package dev.arcturus.gateway;

import static dev.arcturus.gateway.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.arcturus.gateway.api.v1.Assignment;
import dev.arcturus.gateway.api.v1.DomainOrigin;
import dev.arcturus.gateway.api.v1.GetNodesRequest;
import dev.arcturus.gateway.api.v1.GetPathsRequest;
import dev.arcturus.gateway.api.v1.GetScavengerRequest;
import dev.arcturus.gateway.api.v1.GetTasksRequest;
import dev.arcturus.gateway.api.v1.ImportNodesRequest;
import dev.arcturus.gateway.api.v1.ImportNodesResponse;
import dev.arcturus.gateway.api.v1.JobSpec;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.ListDomainOriginsRequest;
import dev.arcturus.gateway.api.v1.ListJobsRequest;
import dev.arcturus.gateway.api.v1.ListJobsResponse;
import dev.arcturus.gateway.api.v1.NodeSpec;
import dev.arcturus.gateway.api.v1.PageRequest;
import dev.arcturus.gateway.api.v1.RegisterUserRequest;
import dev.arcturus.gateway.api.v1.ReportHeartbeatRequest;
import dev.arcturus.gateway.api.v1.RevokeTokenRequest;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.ScheduleJobRequest;
import dev.arcturus.gateway.api.v1.ScheduleTaskRequest;
import dev.arcturus.gateway.api.v1.SetDomainOriginRequest;
import dev.arcturus.gateway.api.v1.TaskStatus;
import dev.arcturus.gateway.api.v1.TaskType;
import dev.arcturus.gateway.api.v1.UpdateConfigRequest;
import dev.arcturus.gateway.api.v1.UpdateTaskRequest;
import dev.arcturus.gateway.api.v1.WatchRequest;
import dev.arcturus.gateway.client.Timestamps;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Behaviour of the RPCs the flow test does not walk: paging, bulk import, tasks, assignments, config, plane data. */
class GatewayRpcTest {
    private static final Instant DAY = Instant.parse("2027-04-01T00:00:00Z");
    private final GatewayFixture gateway = GatewayFixture.instance();

    @Test
    void shouldPageJobListsStablyByKey() {
        final String owner = unique("pager");
        final String token = gateway.newUser(owner, Role.USER);
        final String node = unique("node");
        gateway.newNode(node, Role.NODE);
        for (int i = 0; i < 5; i++) {
            gateway.jobs(token).scheduleJob(ScheduleJobRequest.newBuilder().setJob(job(owner + "-job-" + i, node,
                    i + " 0 * * *")).build());
        }
        final List<String> seen = new ArrayList<>();
        String page = "";
        do {
            final ListJobsResponse response = gateway.jobs(token).listJobs(ListJobsRequest.newBuilder()
                    .setPage(PageRequest.newBuilder().setPageSize(2).setPageToken(page)).build());
            assertThat(response.getJobsCount()).isLessThanOrEqualTo(2);
            response.getJobsList().forEach(j -> seen.add(j.getSpec().getId()));
            page = response.getNextPageToken();
        } while (!page.isEmpty());
        assertThat(seen).containsExactly(owner + "-job-0", owner + "-job-1", owner + "-job-2", owner + "-job-3",
                owner + "-job-4");
        assertThatThrownBy(() -> gateway.jobs(token).listJobs(ListJobsRequest.newBuilder()
                .setPage(PageRequest.newBuilder().setPageSize(5000)).build()))
                .hasMessageContaining("INVALID_ARGUMENT: page.page_size");
    }

    @Test
    void shouldImportNodesReportingEachOutcome() {
        final String good = unique("import");
        final ImportNodesResponse result = gateway.nodes(gateway.adminToken()).importNodes(ImportNodesRequest
                .newBuilder().addNodes(NodeSpec.newBuilder().setId(good).setIp("10.2.0.1").setRegion("ap-south")
                        .setCoords("12.9,77.6"))
                .addNodes(NodeSpec.newBuilder().setId(unique("bad")).setIp("10.2.0.2").setRegion("ap-south")
                        .setCoords("north-ish"))
                .addNodes(NodeSpec.newBuilder().setId(good).setIp("10.2.0.3").setRegion("ap-south")).build());
        assertThat(result.getNodes(0).getRegistered()).isTrue();
        assertThat(result.getNodes(0).getToken()).startsWith("arc_");
        assertThat(result.getNodes(1).getError()).startsWith("INVALID_ARGUMENT: nodes[1].coords:");
        assertThat(result.getNodes(2).getError()).startsWith("ALREADY_EXISTS");
        assertThat(gateway.nodes(gateway.adminToken()).getNodes(GetNodesRequest.newBuilder().setId(good).build())
                .getNodes(0).getCoords()).isEqualTo("12.9,77.6");
        assertThat(gateway.nodes(gateway.adminToken()).getScavenger(GetScavengerRequest.newBuilder()
                .setNodeId(good).build()).getFound()).as("found even while inactive").isTrue();
    }

    @Test
    void shouldCoordinateServerTasksAndPushAssignmentsToTheNode() {
        final String owner = unique("owner");
        final String token = gateway.newUser(owner, Role.USER);
        final String client = unique("client");
        final String clientToken = gateway.newNode(client, Role.NODE);
        final String server = unique("server");
        final String serverToken = gateway.newNode(server, Role.NODE);

        final List<Assignment> pushed = new CopyOnWriteArrayList<>();
        gateway.tasksAsync(serverToken).watchAssignments(WatchRequest.newBuilder().setNodeId(server).build(),
                GatewayFixture.collect(pushed));
        await().atMost(Duration.ofSeconds(10)).until(() -> pushed.stream().anyMatch(Assignment::getBookmark));

        final String jobId = gateway.jobs(token).scheduleJob(ScheduleJobRequest.newBuilder().setJob(
                job(unique("job"), client, "0 9 * * *").toBuilder().setServerNodeId(server)).build()).getJobId();
        final String taskId = unique("task");
        gateway.tasks(clientToken).scheduleTask(ScheduleTaskRequest.newBuilder().setTaskId(taskId)
                .setType(TaskType.SERVER_START).setRunId(unique("run")).setJobId(jobId).setNodeId(server).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> pushed.stream().anyMatch(a -> a.hasJob()
                && a.getJob().getSpec().getId().equals(jobId)) && pushed.stream().anyMatch(a -> a.hasTask()
                && a.getTask().getTaskId().equals(taskId)));

        gateway.tasks(serverToken).updateTask(UpdateTaskRequest.newBuilder().setTaskId(taskId)
                .setStatus(TaskStatus.TASK_COMPLETE).build());
        assertThat(gateway.tasks(clientToken).getTasks(GetTasksRequest.newBuilder().setTaskId(taskId)
                .setStatus(TaskStatus.TASK_COMPLETE).build()).getTasksList()).hasSize(1);
        assertThat(gateway.tasks(clientToken).getTasks(GetTasksRequest.newBuilder().setTaskId(taskId)
                .setStatus(TaskStatus.TASK_SCHEDULED).build()).getTasksList()).as("the status filter works").isEmpty();
        assertThat(gateway.tasks(clientToken).getTasks(GetTasksRequest.newBuilder().setTaskId(taskId)
                .setType(TaskType.SERVER_STOP).build()).getTasksList()).as("the type filter works").isEmpty();
        assertThat(gateway.nodes(serverToken).reportHeartbeat(ReportHeartbeatRequest.newBuilder().setNodeId(server)
                .setSequence(1).build()).getReceived()).isTrue();
    }

    @Test
    void shouldEndARevokedPrincipalsOpenStreamsWithinASecond() {
        final String node = unique("revoked");
        final String nodeToken = gateway.newNode(node, Role.NODE);
        final List<Assignment> pushed = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicReference<Throwable> ended = new java.util.concurrent.atomic
                .AtomicReference<>();
        gateway.tasksAsync(nodeToken).watchAssignments(WatchRequest.newBuilder().setNodeId(node).build(),
                GatewayFixture.collect(pushed, ended));
        await().atMost(Duration.ofSeconds(10)).until(() -> pushed.stream().anyMatch(Assignment::getBookmark));

        final long revokedAt = System.nanoTime();
        gateway.users(gateway.adminToken()).revokeToken(RevokeTokenRequest.newBuilder().setId(node).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> ended.get() != null);
        final long endedAfterMillis = (System.nanoTime() - revokedAt) / 1_000_000;
        assertThat(Status.fromThrowable(ended.get()).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(Status.fromThrowable(ended.get()).getDescription()).contains("revoked");
        assertThat(endedAfterMillis).as("the stream ended within a second of the revocation").isLessThan(1_000);

        // A stream opened with the revoked token is refused outright.
        final java.util.concurrent.atomic.AtomicReference<Throwable> refused = new java.util.concurrent.atomic
                .AtomicReference<>();
        gateway.tasksAsync(nodeToken).watchAssignments(WatchRequest.newBuilder().setNodeId(node).build(),
                GatewayFixture.collect(new CopyOnWriteArrayList<>(), refused));
        await().atMost(Duration.ofSeconds(5)).until(() -> refused.get() != null);
        assertThat(Status.fromThrowable(refused.get()).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void shouldServeConfigAndPlaneDataWithoutSecrets() {
        final String admin = gateway.adminToken();
        final String user = gateway.newUser(unique("reader"), Role.USER);
        gateway.config(admin).updateConfig(UpdateConfigRequest.newBuilder().putSetSettings("routing.k", "3").build());
        assertThat(gateway.config(user).getConfig(dev.arcturus.gateway.api.v1.GetConfigRequest.getDefaultInstance())
                .getSettingsMap()).containsEntry("routing.k", "3");
        assertThatThrownBy(() -> gateway.config(admin).updateConfig(UpdateConfigRequest.newBuilder()
                .setArtifactContainer("Bad_Name").build())).hasMessageContaining("INVALID_ARGUMENT: artifact_container");

        final String domain = unique("cdn") + ".example.org";
        gateway.plane(admin).setDomainOrigin(SetDomainOriginRequest.newBuilder().setOrigin(DomainOrigin.newBuilder()
                .setDomain(domain).setOriginIp("2001:db8::7").setOriginPort(443)).build());
        assertThat(gateway.plane(user).listDomainOrigins(ListDomainOriginsRequest.getDefaultInstance())
                .getOriginsList()).anySatisfy(o -> assertThat(o.getDomain()).isEqualTo(domain));
        assertThatThrownBy(() -> gateway.plane(admin).setDomainOrigin(SetDomainOriginRequest.newBuilder()
                .setOrigin(DomainOrigin.newBuilder().setDomain("not a domain").setOriginIp("1.2.3.4").setOriginPort(80))
                .build())).hasMessageContaining("INVALID_ARGUMENT: origin.domain");
        assertThatThrownBy(() -> gateway.plane(user).getPaths(GetPathsRequest.newBuilder().setSourceRegion("eu-west")
                .setDomain(domain).build())).hasMessageContaining("NOT_FOUND");
        assertThatThrownBy(() -> gateway.users(admin).registerUser(RegisterUserRequest.newBuilder().setId(unique("x"))
                .setName("x").setRole(Role.NODE).build())).hasMessageContaining("INVALID_ARGUMENT: role");
    }

    private static JobSpec job(final String id, final String node, final String cron) {
        return JobSpec.newBuilder().setId(id).setNodeId(node).setType(JobType.CRON).setSchedule(cron)
                .setStart(Timestamps.of(DAY)).setEnd(Timestamps.of(DAY.plus(Duration.ofDays(1))))
                .setLengthSeconds(60).setExclusive(true).setConfig("docker:\n  image: x\n").build();
    }
}
