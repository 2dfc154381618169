package dev.arcturus.gateway;

import static dev.arcturus.gateway.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.gateway.api.v1.DeleteDomainOriginRequest;
import dev.arcturus.gateway.api.v1.DeleteJobRequest;
import dev.arcturus.gateway.api.v1.DeleteJobsOnNodeRequest;
import dev.arcturus.gateway.api.v1.DeleteNodeRequest;
import dev.arcturus.gateway.api.v1.DeleteUserRequest;
import dev.arcturus.gateway.api.v1.DomainOrigin;
import dev.arcturus.gateway.api.v1.GetArtifactDownloadUrlRequest;
import dev.arcturus.gateway.api.v1.GetArtifactUploadUrlRequest;
import dev.arcturus.gateway.api.v1.GetConfigRequest;
import dev.arcturus.gateway.api.v1.GetJobRequest;
import dev.arcturus.gateway.api.v1.GetNodesRequest;
import dev.arcturus.gateway.api.v1.GetPathsRequest;
import dev.arcturus.gateway.api.v1.GetRunsRequest;
import dev.arcturus.gateway.api.v1.GetScavengerRequest;
import dev.arcturus.gateway.api.v1.GetScheduledRunsRequest;
import dev.arcturus.gateway.api.v1.GetTasksRequest;
import dev.arcturus.gateway.api.v1.GetUserRequest;
import dev.arcturus.gateway.api.v1.ImportNodesRequest;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.JobSpec;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.ListDomainOriginsRequest;
import dev.arcturus.gateway.api.v1.ListJobsRequest;
import dev.arcturus.gateway.api.v1.ListNodeRegionsRequest;
import dev.arcturus.gateway.api.v1.ModifyJobRequest;
import dev.arcturus.gateway.api.v1.ModifyUserRequest;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.NodeSpec;
import dev.arcturus.gateway.api.v1.PlaneServiceGrpc;
import dev.arcturus.gateway.api.v1.RegisterNodeRequest;
import dev.arcturus.gateway.api.v1.RegisterUserRequest;
import dev.arcturus.gateway.api.v1.ReportHeartbeatRequest;
import dev.arcturus.gateway.api.v1.RescheduleNearestRequest;
import dev.arcturus.gateway.api.v1.RevokeTokenRequest;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.RotateTokenRequest;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.ScheduleJobRequest;
import dev.arcturus.gateway.api.v1.ScheduleTaskRequest;
import dev.arcturus.gateway.api.v1.SetDomainOriginRequest;
import dev.arcturus.gateway.api.v1.SetScavengerRequest;
import dev.arcturus.gateway.api.v1.TaskServiceGrpc;
import dev.arcturus.gateway.api.v1.TaskStatus;
import dev.arcturus.gateway.api.v1.TaskType;
import dev.arcturus.gateway.api.v1.TimeRange;
import dev.arcturus.gateway.api.v1.UpdateConfigRequest;
import dev.arcturus.gateway.api.v1.UpdateNodeRequest;
import dev.arcturus.gateway.api.v1.UpdateRunRequest;
import dev.arcturus.gateway.api.v1.UpdateTaskRequest;
import dev.arcturus.gateway.api.v1.VerifyKernelAccessRequest;
import dev.arcturus.gateway.api.v1.WatchPathsRequest;
import dev.arcturus.gateway.api.v1.WatchRequest;
import dev.arcturus.gateway.client.Timestamps;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks the authorization matrix of docs/security.md: every RPC, called by every role, on the caller's own resource
 * and on someone else's, gets the documented outcome — allowed (any answer but PERMISSION_DENIED/UNAUTHENTICATED) or
 * PERMISSION_DENIED; and every RPC without a token is UNAUTHENTICATED.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {
    private static final Set<Role> ALL = EnumSet.of(Role.ADMIN, Role.USER, Role.USER_PRIV, Role.NODE, Role.NODE_PRIV);
    private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);
    private static final Set<Role> USERS_AND_ADMIN = EnumSet.of(Role.ADMIN, Role.USER, Role.USER_PRIV);
    private static final Set<Role> NODES_AND_ADMIN = EnumSet.of(Role.ADMIN, Role.NODE, Role.NODE_PRIV);
    private static final Set<Role> NODES = EnumSet.of(Role.NODE, Role.NODE_PRIV);
    private static final Instant DAY = Instant.parse("2027-05-01T00:00:00Z");

    private final GatewayFixture gateway = GatewayFixture.instance();
    private final Map<Role, World> worlds = new java.util.EnumMap<>(Role.class);
    private World anonymous;

    /** One RPC on one kind of target, and the roles allowed to make it. */
    record Case(String rpc, String target, Set<Role> allowed, Consumer<Call> call) {
        @Override
        public String toString() {
            return rpc + " (" + target + ")";
        }
    }

    /** The caller and the resources a case acts on. */
    record Call(GatewayFixture gateway, World world, String token) {
    }

    /**
     * A caller of one role with its own resources, and another party's. A node caller's "own job" is another user's
     * job that runs on it; a user's is its own job on some node.
     */
    record World(Role role, String id, String token, String ownJob, String ownNode, String ownTask,
                 String otherUser, String otherJob, String otherNode, String serverOfOwnJob) {
    }

    @BeforeAll
    void buildWorlds() {
        for (final Role role : ALL) {
            worlds.put(role, world(role));
        }
        final World any = worlds.get(Role.USER);
        anonymous = new World(Role.ROLE_UNSPECIFIED, "nobody", "", any.ownJob(), any.ownNode(), any.ownTask(),
                any.otherUser(), any.otherJob(), any.otherNode(), any.serverOfOwnJob());
    }

    private World world(final Role role) {
        final String admin = gateway.adminToken();
        final String otherUser = unique("other");
        final String otherToken = gateway.newUser(otherUser, Role.USER);
        final String otherNode = unique("other-node");
        gateway.newNode(otherNode, Role.NODE);
        final String otherJob = schedule(otherToken, otherNode, null, "0 1 * * *");
        final String id = role == Role.ADMIN ? unique("admin2") : unique(role.name().toLowerCase());
        final boolean node = role == Role.NODE || role == Role.NODE_PRIV;
        final String token = node ? gateway.newNode(id, role) : gateway.newUser(id, role);
        final String server = unique("server");
        gateway.newNode(server, Role.NODE);
        final String ownNode = node ? id : unique("node");
        if (!node) {
            gateway.newNode(ownNode, Role.NODE);
        }
        final String ownJob = schedule(node ? otherToken : token, ownNode, server, "0 2 * * *");
        // A task this caller must act on: for a node, one addressed to it as the server of a job; else any task.
        final String taskNode = node ? id : server;
        final String taskJob;
        if (node) {
            final String client = unique("client");
            gateway.newNode(client, Role.NODE);
            taskJob = schedule(otherToken, client, id, "0 3 * * *");
        } else {
            taskJob = ownJob;
        }
        final String task = unique("task");
        gateway.tasks(admin).scheduleTask(ScheduleTaskRequest.newBuilder().setTaskId(task).setType(TaskType.SERVER_START)
                .setRunId(unique("run")).setJobId(taskJob).setNodeId(taskNode).build());
        return new World(role, id, token, ownJob, ownNode, task, otherUser, otherJob, otherNode, server);
    }

    private String schedule(final String token, final String node, final String server, final String cron) {
        final JobSpec.Builder spec = JobSpec.newBuilder().setId(unique("job")).setNodeId(node).setType(JobType.CRON)
                .setSchedule(cron).setStart(Timestamps.of(DAY)).setEnd(Timestamps.of(DAY.plus(Duration.ofDays(1))))
                .setLengthSeconds(60).setExclusive(false).setConfig("docker:\n  image: x\n");
        if (server != null) {
            spec.setServerNodeId(server);
        }
        return gateway.jobs(token).scheduleJob(ScheduleJobRequest.newBuilder().setJob(spec).build()).getJobId();
    }

    Stream<Case> cases() {
        final List<Case> cases = new ArrayList<>();
        // UserService
        cases.add(new Case("RegisterUser", "new user", ADMIN, c -> c.gateway().users(c.token()).registerUser(
                RegisterUserRequest.newBuilder().setId(unique("u")).setName("n").setRole(Role.USER).build())));
        cases.add(new Case("GetUser", "own", ALL, c -> c.gateway().users(c.token()).getUser(
                GetUserRequest.newBuilder().setId(c.world().id()).build())));
        cases.add(new Case("GetUser", "other", ADMIN, c -> c.gateway().users(c.token()).getUser(
                GetUserRequest.newBuilder().setId(c.world().otherUser()).build())));
        cases.add(new Case("ModifyUser", "own", ADMIN, c -> c.gateway().users(c.token()).modifyUser(
                ModifyUserRequest.newBuilder().setId(c.world().id()).setTeam("t2").build())));
        cases.add(new Case("ModifyUser", "other", ADMIN, c -> c.gateway().users(c.token()).modifyUser(
                ModifyUserRequest.newBuilder().setId(c.world().otherUser()).setTeam("t2").build())));
        cases.add(new Case("DeleteUser", "other", ADMIN, c -> c.gateway().users(c.token()).deleteUser(
                DeleteUserRequest.newBuilder().setId(freshUser(c)).build())));
        cases.add(new Case("RotateToken", "own", ALL, c -> {
            final Fresh fresh = freshPrincipal(c);
            c.gateway().users(fresh.token()).rotateToken(RotateTokenRequest.newBuilder().setId(fresh.id()).build());
        }));
        cases.add(new Case("RotateToken", "other", ADMIN, c -> c.gateway().users(c.token()).rotateToken(
                RotateTokenRequest.newBuilder().setId(freshUser(c)).build())));
        cases.add(new Case("RevokeToken", "own", ALL, c -> {
            final Fresh fresh = freshPrincipal(c);
            c.gateway().users(fresh.token()).revokeToken(RevokeTokenRequest.newBuilder().setId(fresh.id()).build());
        }));
        cases.add(new Case("RevokeToken", "other", ADMIN, c -> c.gateway().users(c.token()).revokeToken(
                RevokeTokenRequest.newBuilder().setId(freshUser(c)).build())));
        cases.add(new Case("VerifyKernelAccess", "any user", NODES_AND_ADMIN, c -> c.gateway().users(c.token())
                .verifyKernelAccess(VerifyKernelAccessRequest.newBuilder().setUserId(c.world().otherUser()).build())));
        // JobService
        cases.add(new Case("ScheduleJob", "new job", USERS_AND_ADMIN, c -> c.gateway().jobs(c.token()).scheduleJob(
                ScheduleJobRequest.newBuilder().setJob(job(unique("job"), c.world().otherNode())).build())));
        cases.add(new Case("ModifyJob", "own", USERS_AND_ADMIN, c -> c.gateway().jobs(c.token()).modifyJob(
                ModifyJobRequest.newBuilder().setJob(job(c.world().ownJob(), c.world().ownNode())
                        .toBuilder().setServerNodeId(c.world().serverOfOwnJob())).build())));
        cases.add(new Case("ModifyJob", "other", ADMIN, c -> c.gateway().jobs(c.token()).modifyJob(
                ModifyJobRequest.newBuilder().setJob(job(c.world().otherJob(), c.world().otherNode())).build())));
        cases.add(new Case("DeleteJob", "own", USERS_AND_ADMIN, c -> c.gateway().jobs(c.token()).deleteJob(
                DeleteJobRequest.newBuilder().setId(freshJob(c, true)).build())));
        cases.add(new Case("DeleteJob", "other", ADMIN, c -> c.gateway().jobs(c.token()).deleteJob(
                DeleteJobRequest.newBuilder().setId(freshJob(c, false)).build())));
        cases.add(new Case("DeleteJobsOnNode", "other node", ADMIN, c -> c.gateway().jobs(c.token()).deleteJobsOnNode(
                DeleteJobsOnNodeRequest.newBuilder().setNodeId(unique("empty-node")).build())));
        cases.add(new Case("RescheduleNearest", "own / runs on the node", ALL, c -> c.gateway().jobs(c.token())
                .rescheduleNearest(RescheduleNearestRequest.newBuilder().setId(c.world().ownJob()).build())));
        cases.add(new Case("RescheduleNearest", "other", ADMIN, c -> c.gateway().jobs(c.token())
                .rescheduleNearest(RescheduleNearestRequest.newBuilder().setId(c.world().otherJob()).build())));
        cases.add(new Case("GetJob", "own", ALL, c -> c.gateway().jobs(c.token()).getJob(
                GetJobRequest.newBuilder().setId(c.world().ownJob()).build())));
        cases.add(new Case("GetJob", "other", ADMIN, c -> c.gateway().jobs(c.token()).getJob(
                GetJobRequest.newBuilder().setId(c.world().otherJob()).build())));
        cases.add(new Case("ListJobs", "own", ALL, c -> c.gateway().jobs(c.token()).listJobs(nodeRole(c)
                ? ListJobsRequest.newBuilder().setNodeId(c.world().id()).build() : ListJobsRequest.getDefaultInstance())));
        cases.add(new Case("ListJobs", "other owner", ADMIN, c -> c.gateway().jobs(c.token()).listJobs(
                ListJobsRequest.newBuilder().setOwnerId(c.world().otherUser()).build())));
        cases.add(new Case("GetScheduledRuns", "any node", ALL, c -> c.gateway().jobs(c.token()).getScheduledRuns(
                GetScheduledRunsRequest.newBuilder().setNodeId(c.world().otherNode()).setRange(TimeRange.newBuilder()
                        .setStart(Timestamps.of(DAY)).setEnd(Timestamps.of(DAY.plusSeconds(86_400)))).build())));
        cases.add(new Case("WatchJobEvents", "stream", ALL, c -> firstMessage(() -> JobServiceGrpc
                .newBlockingStub(c.gateway().channel()).withCallCredentials(GatewayFixture.bearer(c.token()))
                .watchJobEvents(WatchRequest.getDefaultInstance()))));
        cases.add(new Case("WatchPlacementActions", "stream", ALL, c -> firstMessage(() -> JobServiceGrpc
                .newBlockingStub(c.gateway().channel()).withCallCredentials(GatewayFixture.bearer(c.token()))
                .watchPlacementActions(WatchRequest.getDefaultInstance()))));
        // RunService
        cases.add(new Case("UpdateRun", "own node", NODES_AND_ADMIN, c -> c.gateway().runs(c.token()).updateRun(
                run(c.world().ownJob(), c.world().ownNode()))));
        cases.add(new Case("UpdateRun", "other node", ADMIN, c -> c.gateway().runs(c.token()).updateRun(
                run(c.world().otherJob(), c.world().otherNode()))));
        cases.add(new Case("GetRuns", "own", ALL, c -> c.gateway().runs(c.token()).getRuns(
                GetRunsRequest.getDefaultInstance())));
        cases.add(new Case("GetRuns", "other owner", EnumSet.of(Role.ADMIN, Role.NODE, Role.NODE_PRIV),
                c -> c.gateway().runs(c.token()).getRuns(GetRunsRequest.newBuilder()
                        .setOwnerId(c.world().otherUser()).build())));
        cases.add(new Case("GetArtifactUploadUrl", "own node", NODES_AND_ADMIN, c -> c.gateway().runs(c.token())
                .getArtifactUploadUrl(GetArtifactUploadUrlRequest.newBuilder().setRunId(unique("run"))
                        .setJobId(c.world().ownJob()).setNodeId(c.world().ownNode())
                        .setScheduledAt(Timestamps.of(DAY)).build())));
        cases.add(new Case("GetArtifactUploadUrl", "other node", ADMIN, c -> c.gateway().runs(c.token())
                .getArtifactUploadUrl(GetArtifactUploadUrlRequest.newBuilder().setRunId(unique("run"))
                        .setJobId(c.world().otherJob()).setNodeId(c.world().otherNode())
                        .setScheduledAt(Timestamps.of(DAY)).build())));
        cases.add(new Case("GetArtifactDownloadUrl", "other's run", ADMIN, c -> c.gateway().runs(c.token())
                .getArtifactDownloadUrl(GetArtifactDownloadUrlRequest.newBuilder().setRunId(otherRun()).build())));
        cases.add(new Case("WatchRuns", "stream", ALL, c -> firstMessage(() -> RunServiceGrpc
                .newBlockingStub(c.gateway().channel()).withCallCredentials(GatewayFixture.bearer(c.token()))
                .watchRuns(WatchRequest.getDefaultInstance()))));
        // NodeService
        cases.add(new Case("RegisterNode", "new node", ADMIN, c -> c.gateway().nodes(c.token()).registerNode(
                RegisterNodeRequest.newBuilder().setNode(node(unique("n"))).build())));
        cases.add(new Case("ImportNodes", "new nodes", ADMIN, c -> c.gateway().nodes(c.token()).importNodes(
                ImportNodesRequest.newBuilder().addNodes(node(unique("n"))).build())));
        cases.add(new Case("GetNodes", "all", ALL, c -> c.gateway().nodes(c.token()).getNodes(
                GetNodesRequest.getDefaultInstance())));
        cases.add(new Case("UpdateNode", "own", NODES_AND_ADMIN, c -> c.gateway().nodes(c.token()).updateNode(
                UpdateNodeRequest.newBuilder().setId(c.world().ownNode()).setLocation("lab 2").build())));
        cases.add(new Case("UpdateNode", "other", ADMIN, c -> c.gateway().nodes(c.token()).updateNode(
                UpdateNodeRequest.newBuilder().setId(c.world().otherNode()).setLocation("lab 2").build())));
        cases.add(new Case("DeleteNode", "other", ADMIN, c -> c.gateway().nodes(c.token()).deleteNode(
                DeleteNodeRequest.newBuilder().setId(freshNode()).build())));
        cases.add(new Case("SetScavenger", "own", NODES_AND_ADMIN, c -> c.gateway().nodes(c.token()).setScavenger(
                SetScavengerRequest.newBuilder().setNodeId(c.world().ownNode()).setActive(false).build())));
        cases.add(new Case("SetScavenger", "other", ADMIN, c -> c.gateway().nodes(c.token()).setScavenger(
                SetScavengerRequest.newBuilder().setNodeId(c.world().otherNode()).setActive(false).build())));
        cases.add(new Case("GetScavenger", "any", ALL, c -> c.gateway().nodes(c.token()).getScavenger(
                GetScavengerRequest.newBuilder().setNodeId(c.world().otherNode()).build())));
        cases.add(new Case("ReportHeartbeat", "own", NODES, c -> c.gateway().nodes(c.token()).reportHeartbeat(
                ReportHeartbeatRequest.newBuilder().setNodeId(c.world().ownNode()).build())));
        cases.add(new Case("ReportHeartbeat", "other", Set.of(), c -> c.gateway().nodes(c.token()).reportHeartbeat(
                ReportHeartbeatRequest.newBuilder().setNodeId(c.world().otherNode()).build())));
        cases.add(new Case("ReportSystemInfo", "own", NODES, c -> c.gateway().nodes(c.token()).reportSystemInfo(
                systemInfo(c.world().ownNode()))));
        cases.add(new Case("ReportSystemInfo", "other", Set.of(), c -> c.gateway().nodes(c.token()).reportSystemInfo(
                systemInfo(c.world().otherNode()))));
        cases.add(new Case("ReportProbes", "own", NODES, c -> c.gateway().nodes(c.token()).reportProbes(
                probes(c.world().ownNode(), c.world().otherNode()))));
        cases.add(new Case("ReportProbes", "other", Set.of(), c -> c.gateway().nodes(c.token()).reportProbes(
                probes(c.world().otherNode(), c.world().ownNode()))));
        cases.add(new Case("WatchLiveness", "stream", ALL, c -> firstMessage(() -> NodeServiceGrpc
                .newBlockingStub(c.gateway().channel()).withCallCredentials(GatewayFixture.bearer(c.token()))
                .watchLiveness(WatchRequest.getDefaultInstance()))));
        // TaskService
        cases.add(new Case("ScheduleTask", "own job", NODES_AND_ADMIN, c -> c.gateway().tasks(c.token()).scheduleTask(
                ScheduleTaskRequest.newBuilder().setTaskId(unique("t")).setType(TaskType.SERVER_START)
                        .setRunId(unique("r")).setJobId(c.world().ownJob()).setNodeId(c.world().serverOfOwnJob())
                        .build())));
        cases.add(new Case("ScheduleTask", "other job", ADMIN, c -> c.gateway().tasks(c.token()).scheduleTask(
                ScheduleTaskRequest.newBuilder().setTaskId(unique("t")).setType(TaskType.SERVER_START)
                        .setRunId(unique("r")).setJobId(c.world().otherJob()).setNodeId(c.world().otherNode())
                        .build())));
        cases.add(new Case("GetTasks", "visible", ALL, c -> c.gateway().tasks(c.token()).getTasks(
                GetTasksRequest.getDefaultInstance())));
        cases.add(new Case("UpdateTask", "own", NODES_AND_ADMIN, c -> c.gateway().tasks(c.token()).updateTask(
                UpdateTaskRequest.newBuilder().setTaskId(c.world().ownTask()).setStatus(TaskStatus.TASK_COMPLETE)
                        .build())));
        cases.add(new Case("UpdateTask", "other", ADMIN, c -> c.gateway().tasks(c.token()).updateTask(
                UpdateTaskRequest.newBuilder().setTaskId(otherTask()).setStatus(TaskStatus.TASK_COMPLETE).build())));
        cases.add(new Case("WatchAssignments", "own node", NODES_AND_ADMIN, c -> firstMessage(() -> TaskServiceGrpc
                .newBlockingStub(c.gateway().channel()).withCallCredentials(GatewayFixture.bearer(c.token()))
                .watchAssignments(WatchRequest.newBuilder().setNodeId(c.world().ownNode()).build()))));
        cases.add(new Case("WatchAssignments", "other node", ADMIN, c -> firstMessage(() -> TaskServiceGrpc
                .newBlockingStub(c.gateway().channel()).withCallCredentials(GatewayFixture.bearer(c.token()))
                .watchAssignments(WatchRequest.newBuilder().setNodeId(c.world().otherNode()).build()))));
        // ConfigService
        cases.add(new Case("GetConfig", "global", ALL, c -> c.gateway().config(c.token()).getConfig(
                GetConfigRequest.getDefaultInstance())));
        cases.add(new Case("UpdateConfig", "global", ADMIN, c -> c.gateway().config(c.token()).updateConfig(
                UpdateConfigRequest.newBuilder().putSetSettings("matrix.test", "1").build())));
        // PlaneService
        cases.add(new Case("ListNodeRegions", "all", ALL, c -> c.gateway().plane(c.token()).listNodeRegions(
                ListNodeRegionsRequest.getDefaultInstance())));
        cases.add(new Case("SetDomainOrigin", "domain", ADMIN, c -> c.gateway().plane(c.token()).setDomainOrigin(
                SetDomainOriginRequest.newBuilder().setOrigin(DomainOrigin.newBuilder().setDomain("example.org")
                        .setOriginIp("192.0.2.1").setOriginPort(443)).build())));
        cases.add(new Case("DeleteDomainOrigin", "domain", ADMIN, c -> c.gateway().plane(c.token())
                .deleteDomainOrigin(DeleteDomainOriginRequest.newBuilder().setDomain("missing.example.org").build())));
        cases.add(new Case("ListDomainOrigins", "all", ALL, c -> c.gateway().plane(c.token()).listDomainOrigins(
                ListDomainOriginsRequest.getDefaultInstance())));
        cases.add(new Case("GetPaths", "any", ALL, c -> c.gateway().plane(c.token()).getPaths(
                GetPathsRequest.newBuilder().setSourceRegion("eu-west").setDomain("example.org").build())));
        cases.add(new Case("WatchPaths", "stream", ALL, c -> firstMessage(() -> PlaneServiceGrpc
                .newBlockingStub(c.gateway().channel()).withCallCredentials(GatewayFixture.bearer(c.token()))
                .watchPaths(WatchPathsRequest.newBuilder().setRegion("eu-west").build()))));
        return cases.stream();
    }

    Stream<org.junit.jupiter.params.provider.Arguments> roleCases() {
        return cases().flatMap(c -> ALL.stream().map(role -> org.junit.jupiter.params.provider.Arguments.of(role, c)));
    }

    @ParameterizedTest(name = "{1} as {0}")
    @MethodSource("roleCases")
    void shouldGiveEachRoleTheDocumentedOutcome(final Role role, final Case rpc) {
        final World world = worlds.get(role);
        final Status.Code code = outcome(() -> rpc.call().accept(new Call(gateway, world, world.token())));
        if (rpc.allowed().contains(role)) {
            assertThat(code).as("%s as %s must be allowed", rpc, role)
                    .isNotIn(Status.Code.PERMISSION_DENIED, Status.Code.UNAUTHENTICATED);
        } else {
            assertThat(code).as("%s as %s must be denied", rpc, role).isEqualTo(Status.Code.PERMISSION_DENIED);
        }
    }

    @ParameterizedTest(name = "{0} without a token")
    @MethodSource("cases")
    void shouldRefuseEveryRpcWithoutAValidToken(final Case rpc) {
        assertThat(outcome(() -> rpc.call().accept(new Call(gateway, anonymous, "not-a-token"))))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    private static Status.Code outcome(final Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (final StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    /** Reads a watch's first message (its bookmark), then cancels it. */
    private static void firstMessage(final java.util.function.Supplier<java.util.Iterator<?>> open) {
        final Context.CancellableContext context = Context.current().withCancellation();
        try {
            context.run(() -> open.get().next());
        } finally {
            context.cancel(null);
        }
    }

    private static boolean nodeRole(final Call c) {
        return c.world().role() == Role.NODE || c.world().role() == Role.NODE_PRIV;
    }

    private record Fresh(String id, String token) {
    }

    /**
     * A new principal of the caller's role, for cases that spend their token (rotate, revoke); without a role (the
     * unauthenticated walk) the call keeps the caller's invalid token.
     */
    private Fresh freshPrincipal(final Call c) {
        final Role role = c.world().role();
        final String id = unique("fresh");
        if (role == Role.ROLE_UNSPECIFIED) {
            gateway.newUser(id, Role.USER);
            return new Fresh(id, c.token());
        }
        if (role == Role.NODE || role == Role.NODE_PRIV) {
            return new Fresh(id, gateway.newNode(id, role));
        }
        return new Fresh(id, gateway.newUser(id, role));
    }

    private String freshUser(final Call c) {
        final String id = unique("victim");
        gateway.newUser(id, Role.USER);
        return id;
    }

    private String freshNode() {
        final String id = unique("victim-node");
        gateway.newNode(id, Role.NODE);
        return id;
    }

    /** A job to delete: the caller's own (for nodes, a job on the node) or another user's. */
    private String freshJob(final Call c, final boolean own) {
        final World w = c.world();
        final boolean callerSchedules = own && !nodeRole(c) && w.role() != Role.ROLE_UNSPECIFIED;
        final String token = callerSchedules ? c.token() : gateway.newUser(unique("owner"), Role.USER);
        return schedule(token, own ? w.ownNode() : w.otherNode(), null, "0 5 * * *");
    }

    /** A run of another user's job on another node, reported by that node. */
    private String otherRun() {
        final String node = unique("run-node");
        final String nodeToken = gateway.newNode(node, Role.NODE);
        final String job = schedule(gateway.newUser(unique("owner"), Role.USER), node, null, "0 7 * * *");
        final String run = unique("run");
        gateway.runs(nodeToken).updateRun(UpdateRunRequest.newBuilder().setRunId(run).setJobId(job).setNodeId(node)
                .setScheduledAt(Timestamps.of(DAY)).setStatus(RunStatus.COMPLETED)
                .setArtifactUrl("https://example.invalid/x.zip").build());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !gateway.runs(gateway.adminToken())
                .getRuns(GetRunsRequest.newBuilder().setRunId(run).build()).getRunsList().isEmpty());
        return run;
    }

    private String otherTask() {
        final String client = freshNode();
        final String server = freshNode();
        final String job = schedule(gateway.newUser(unique("owner"), Role.USER), client, server, "0 6 * * *");
        final String task = unique("task");
        gateway.tasks(gateway.adminToken()).scheduleTask(ScheduleTaskRequest.newBuilder().setTaskId(task)
                .setType(TaskType.SERVER_START).setRunId(unique("run")).setJobId(job).setNodeId(server).build());
        return task;
    }

    private static JobSpec job(final String id, final String node) {
        return JobSpec.newBuilder().setId(id).setNodeId(node).setType(JobType.CRON).setSchedule("0 4 * * *")
                .setStart(Timestamps.of(DAY)).setEnd(Timestamps.of(DAY.plus(Duration.ofDays(1))))
                .setLengthSeconds(60).setConfig("docker:\n  image: x\n").build();
    }

    private static NodeSpec node(final String id) {
        return NodeSpec.newBuilder().setId(id).setIp("10.1.1.1").setRegion("eu-west").build();
    }

    private static UpdateRunRequest run(final String job, final String node) {
        return UpdateRunRequest.newBuilder().setRunId(unique("run")).setJobId(job).setNodeId(node)
                .setScheduledAt(Timestamps.of(DAY)).setStatus(RunStatus.DEPLOYING).build();
    }

    private static dev.arcturus.gateway.api.v1.ReportSystemInfoRequest systemInfo(final String node) {
        return dev.arcturus.gateway.api.v1.ReportSystemInfoRequest.newBuilder().setInfo(
                dev.arcturus.gateway.api.v1.SystemInfo.newBuilder().setNodeId(node).setLogicalCores(2)
                        .setCpuUsage(12.5)).build();
    }

    private static dev.arcturus.gateway.api.v1.ReportProbesRequest probes(final String node, final String target) {
        return dev.arcturus.gateway.api.v1.ReportProbesRequest.newBuilder().setNodeId(node).addRounds(
                dev.arcturus.gateway.api.v1.ProbeRound.newBuilder().setTargetNodeId(target).setTargetIp("10.0.0.1")
                        .setTargetPort(50055).setProbeTime(Timestamps.of(java.time.Instant.now()))
                        .addSamples(dev.arcturus.gateway.api.v1.ProbeSample.newBuilder()
                                .setOutcome(dev.arcturus.gateway.api.v1.ProbeOutcome.CONNECTED).setRttMicros(850)))
                .build();
    }
}
