package dev.arcturus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arcturus.connector.ConnectorSettings;
import dev.arcturus.connector.NodeConnector;
import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.GatewaySettings;
import dev.arcturus.gateway.api.v1.DecisionOutcome;
import dev.arcturus.gateway.api.v1.DeleteJobRequest;
import dev.arcturus.gateway.api.v1.GetJobRequest;
import dev.arcturus.gateway.api.v1.GetRunsRequest;
import dev.arcturus.gateway.api.v1.GetTasksRequest;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.JobSpec;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.NodeSpec;
import dev.arcturus.gateway.api.v1.RegisterNodeRequest;
import dev.arcturus.gateway.api.v1.RegisterUserRequest;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.Run;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.ScheduleJobRequest;
import dev.arcturus.gateway.api.v1.SetScavengerRequest;
import dev.arcturus.gateway.api.v1.TaskServiceGrpc;
import dev.arcturus.gateway.api.v1.UserServiceGrpc;
import dev.arcturus.gateway.client.GatewayChannels;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.gateway.tls.SelfSignedCertificate;
import dev.arcturus.gateway.tls.TlsFiles;
import dev.arcturus.launcher.connector.ConnectorCommand;
import dev.arcturus.launcher.plane.PlaneSettings;
import dev.arcturus.launcher.plane.RunningPlane;
import dev.arcturus.testing.TestServices;
import io.grpc.ManagedChannel;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A researcher's job end to end on the real stack: schedule through the TLS gateway → admission → the node's
 * connector (pushed, not polled) → a container on the real dockerd → artifact zip into Azurite → run COMPLETED with
 * its artifact URL → downloaded through the CLI with a signed URL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResearcherJobTest {
    @TempDir
    static Path dir;
    private RunningPlane plane;
    private Gateway gateway;
    private TlsFiles tls;
    private ManagedChannel channel;
    private NodeConnector connector;
    private String nodeToken;
    private String alice;

    @BeforeAll
    void startTheStack() throws Exception {
        plane = RunningPlane.start(new PlaneSettings(dir.resolve("data"), "127.0.0.1", 0, 0, 0, Optional.empty(),
                Optional.empty(), (short) 1));
        tls = SelfSignedCertificate.ensure(dir.resolve("tls"));
        gateway = plane.startGateway(new GatewaySettings("127.0.0.1", 0, Optional.of(tls),
                GatewaySettings.DEFAULT_DECISION_DEADLINE, dir.resolve("admin-token")).withArtifactStorage(
                Optional.of(TestServices.require("ARCTURUS_TEST_AZURITE_CONNECTION_STRING"))));
        channel = GatewayChannels.open("localhost:" + gateway.port(), Optional.of(tls.certificateChain()), false);
        final String admin = Files.readString(dir.resolve("admin-token")).strip();
        nodeToken = NodeServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(admin))
                .registerNode(RegisterNodeRequest.newBuilder().setNode(NodeSpec.newBuilder().setId("lab-1")
                        .setIp("127.0.0.1").setRegion("eu-west")).build()).getToken();
        alice = UserServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(admin))
                .registerUser(RegisterUserRequest.newBuilder().setId("alice").setName("Alice").setRole(Role.USER)
                        .build()).getToken();
        connector = NodeConnector.start(new ConnectorSettings("lab-1", nodeToken,
                TestServices.require("ARCTURUS_TEST_DOCKER_HOST"), false, dir.resolve("runs"), Duration.ofSeconds(5)),
                channel);
    }

    @AfterAll
    void stopTheStack() {
        connector.close();
        channel.shutdownNow();
        plane.close();
    }

    private static String config(final String command) {
        return "docker:\n  image: " + TestServices.require("ARCTURUS_TEST_DOCKER_IMAGE") + "\n  network: none\n"
                + "  command: [sh, -c, '" + command + "']\n";
    }

    private JobServiceGrpc.JobServiceBlockingStub jobs() {
        return JobServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(alice));
    }

    private RunServiceGrpc.RunServiceBlockingStub runs() {
        return RunServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(alice));
    }

    /** The job's run on lab-1 (its client side) once it has the status. */
    private Run awaitRun(final String jobId, final RunStatus status) {
        await().atMost(Duration.ofSeconds(90)).until(() -> clientRun(jobId, status).isPresent());
        return clientRun(jobId, status).orElseThrow();
    }

    private Optional<Run> clientRun(final String jobId, final RunStatus status) {
        return runs().getRuns(GetRunsRequest.newBuilder().setJobId(jobId).setNodeId("lab-1").build()).getRunsList()
                .stream().filter(r -> r.getStatus() == status).findFirst();
    }

    private JobSpec.Builder oneShot(final String id, final Instant start, final Duration window, final String command) {
        return JobSpec.newBuilder().setId(id).setNodeId("lab-1").setType(JobType.ONE_SHOT).setStart(Timestamps.of(start))
                .setEnd(Timestamps.of(start.plus(window))).setLengthSeconds(120).setExclusive(true).setConfig(config(command));
    }

    @Test
    void shouldStopExclusiveRunsAndMoveOneShotJobsAwayInScavengerMode() {
        final NodeServiceGrpc.NodeServiceBlockingStub node = NodeServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(GatewayChannels.bearer(nodeToken));
        assertThat(jobs().scheduleJob(ScheduleJobRequest.newBuilder().setJob(oneShot("long-run",
                Instant.now().plusSeconds(12), Duration.ofMinutes(5), "sleep 60")).build()).getOutcome())
                .isEqualTo(DecisionOutcome.ACCEPTED);
        awaitRun("long-run", RunStatus.EXECUTING);
        node.setScavenger(SetScavengerRequest.newBuilder().setNodeId("lab-1").setActive(true).build());
        assertThat(awaitRun("long-run", RunStatus.ABORTED).getStatusMessage())
                .isEqualTo("stopped: the node entered scavenger mode");
        freeTheCalendar("long-run");

        final Instant soon = Instant.now().plusSeconds(3);
        jobs().scheduleJob(ScheduleJobRequest.newBuilder().setJob(oneShot("displaced", soon, Duration.ofHours(3),
                "true")).build());
        assertThat(awaitRun("displaced", RunStatus.RESCHEDULED).getStatusMessage()).startsWith("scavenger mode: moved to");
        final Instant moved = Instant.ofEpochSecond(jobs().getJob(GetJobRequest.newBuilder().setId("displaced").build())
                .getSpec().getStart().getSeconds());
        assertThat(moved).isAfterOrEqualTo(soon.plus(Duration.ofMinutes(29)));
        node.setScavenger(SetScavengerRequest.newBuilder().setNodeId("lab-1").setActive(false).build());
        freeTheCalendar("displaced");
    }

    @Test
    void shouldRunAScheduledJobInAContainerAndPublishItsArtifact() throws Exception {
        final JobSpec.Builder job = oneShot("ping-once", Instant.now().plusSeconds(6), Duration.ofMinutes(2),
                "echo rtt=42ms > /arcturus/out/result.txt").setLengthSeconds(10);
        assertThat(jobs().scheduleJob(ScheduleJobRequest.newBuilder().setJob(job).build()).getOutcome())
                .isEqualTo(DecisionOutcome.ACCEPTED);
        final Run run = awaitRun("ping-once", RunStatus.COMPLETED);
        assertThat(run.getNodeId()).isEqualTo("lab-1");
        assertThat(run.getOwnerId()).isEqualTo("alice");
        assertThat(run.getExitCode()).isZero();
        assertThat(run.getArtifactUrl()).contains("/runs/lab-1/ping-once/").endsWith(run.getRunId() + ".zip")
                .doesNotContain("sig=");

        final Path aliceToken = Files.writeString(dir.resolve("alice.token"), alice);
        final int exit = ArcturusCommand.commandLine().execute("run", "download", "--runid", run.getRunId(),
                "--local-path", dir.resolve("download").toString(), "--gateway", "localhost:" + gateway.port(),
                "--ca-cert", tls.certificateChain().toString(), "--token-file", aliceToken.toString());
        assertThat(exit).isZero();
        final java.time.ZonedDateTime at = Timestamps.instant(run.getScheduledAt()).atZone(java.time.ZoneOffset.UTC);
        final Path zip = dir.resolve("download").resolve("lab-1").resolve("ping-once")
                .resolve(Integer.toString(at.getYear())).resolve(Integer.toString(at.getMonthValue()))
                .resolve(Integer.toString(at.getDayOfMonth())).resolve(run.getRunId() + ".zip");
        assertThat(entries(zip)).contains("result.txt", "arcturus-run.log");
        // Again, by job: the file there has the blob's checksum, so it is skipped — the same file (a download would
        // have moved a new one into place).
        final Object written = Files.readAttributes(zip, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        assertThat(ArcturusCommand.commandLine().execute("run", "download", "--jobid", "ping-once",
                "--local-path", dir.resolve("download").toString(), "--gateway", "localhost:" + gateway.port(),
                "--ca-cert", tls.certificateChain().toString(), "--token-file", aliceToken.toString())).isZero();
        assertThat(Files.readAttributes(zip, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                .isNotNull().isEqualTo(written);
        freeTheCalendar("ping-once");
    }

    @Test
    void shouldPlaceASelectorJobOnAnUpNodeAndRunItThere() throws Exception {
        final String admin = Files.readString(dir.resolve("admin-token")).strip();
        NodeServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(admin)).updateNode(
                dev.arcturus.gateway.api.v1.UpdateNodeRequest.newBuilder().setId("lab-1").setRegion("placed-here")
                        .build());
        // Placement takes only UP nodes: until liveness has seen lab-1's heartbeat (and the region change reached
        // placement's view) it answers "selector: 0 of the 1 node(s)…", so ask again (starting 8 s after asking).
        final var decision = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> jobs().scheduleJob(ScheduleJobRequest.newBuilder().setJob(oneShot("placed-once",
                                Instant.now().plusSeconds(8), Duration.ofMinutes(2),
                                "echo placed > /arcturus/out/result.txt").setLengthSeconds(10).setNodeId("")
                                .setSelector(dev.arcturus.gateway.api.v1.NodeSelector.newBuilder()
                                        .setRegion("placed-here").setCount(1))).build()),
                        d -> d.getOutcome() == DecisionOutcome.ACCEPTED);
        assertThat(decision.getJob().getAssignedNodeIdsList()).containsExactly("lab-1");
        final Run run = awaitRun("placed-once", RunStatus.COMPLETED);
        assertThat(run.getRunId()).startsWith("placed-once-lab-1-"); // placed runs name their node
        freeTheCalendar("placed-once");
    }

    @Test
    void shouldLetOnlyAPrivilegedOwnerTuneTheCongestionControlOfItsOwnRun() throws Exception {
        final String admin = Files.readString(dir.resolve("admin-token")).strip();
        final String bob = UserServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(admin))
                .registerUser(RegisterUserRequest.newBuilder().setId("bob").setName("Bob").setRole(Role.USER_PRIV)
                        .build()).getToken();
        final Path hostSetting = Path.of("/proc/sys/net/ipv4/tcp_congestion_control");
        final String hostBefore = Files.readString(hostSetting).strip();
        final String wanted = hostBefore.equals("reno") ? "cubic" : "reno";
        // The run checks its own namespace and fails with exit code 7 unless the kernel service changed it.
        final String kernelConfig = "docker:\n  image: " + TestServices.require("ARCTURUS_TEST_DOCKER_IMAGE")
                + "\n  kernel_access: true\n  command: [sh, -c, 'busybox wget -q -O - --header \"Authorization: Bearer "
                + "$ARCTURUS_KERNEL_TOKEN\" --post-data " + wanted + " $ARCTURUS_KERNEL_URL/v1/cca; "
                + "[ \"$(cat /proc/sys/net/ipv4/tcp_congestion_control)\" = " + wanted + " ] || exit 7']\n";
        final Instant start = Instant.now().plusSeconds(6);
        final JobSpec.Builder tuned = oneShot("kernel-bob", start, Duration.ofMinutes(2), "true").setLengthSeconds(20)
                .setConfig(kernelConfig);
        assertThat(JobServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(bob))
                .scheduleJob(ScheduleJobRequest.newBuilder().setJob(tuned).build()).getOutcome())
                .isEqualTo(DecisionOutcome.ACCEPTED);
        final JobSpec.Builder refused = oneShot("kernel-alice", start.plusSeconds(30), Duration.ofMinutes(2), "true")
                .setLengthSeconds(20).setConfig(kernelConfig);
        assertThat(jobs().scheduleJob(ScheduleJobRequest.newBuilder().setJob(refused).build()).getOutcome())
                .isEqualTo(DecisionOutcome.ACCEPTED);

        final RunServiceGrpc.RunServiceBlockingStub bobRuns = RunServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(GatewayChannels.bearer(bob));
        await().atMost(Duration.ofSeconds(90)).until(() -> bobRuns.getRuns(GetRunsRequest.newBuilder()
                .setJobId("kernel-bob").build()).getRunsList().stream().anyMatch(r -> r.getStatus() == RunStatus.COMPLETED));
        final Run alicesRun = awaitRun("kernel-alice", RunStatus.FAILED);
        assertThat(alicesRun.getStatusMessage()).startsWith("kernel_access: owner alice may not use the kernel service");
        assertThat(Files.readString(hostSetting).strip()).as("the host keeps its setting").isEqualTo(hostBefore);
        JobServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(bob))
                .deleteJob(DeleteJobRequest.newBuilder().setId("kernel-bob").build());
        freeTheCalendar("kernel-alice");
    }

    @Test
    void shouldServeSeveralNodesFromOneConnectorProcessWithTheirTelemetry() throws Exception {
        final String admin = Files.readString(dir.resolve("admin-token")).strip();
        final Path region = Files.createDirectories(dir.resolve("region"));
        final StringBuilder yaml = new StringBuilder("nodes:\n");
        for (final String node : List.of("lab-3", "lab-4")) {
            final String token = NodeServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(admin))
                    .registerNode(RegisterNodeRequest.newBuilder().setNode(NodeSpec.newBuilder().setId(node)
                            .setIp("127.0.0.1").setRegion("eu-south")).build()).getToken();
            Files.writeString(region.resolve(node + ".token"), token);
            yaml.append("  - id: ").append(node).append("\n    token_file: ").append(node).append(".token\n")
                    .append("    docker_host: ").append(TestServices.require("ARCTURUS_TEST_DOCKER_HOST")).append('\n');
        }
        final Path nodesFile = Files.writeString(region.resolve("nodes.yaml"), yaml);
        final int probePort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            probePort = free.getLocalPort(); // both nodes share this host, so one answers on it for both
        }
        final ConnectorCommand command = new ConnectorCommand();
        new picocli.CommandLine(command).parseArgs("--nodes-file", nodesFile.toString(), "--work-dir",
                dir.resolve("region-runs").toString(), "--heartbeat-seconds", "2", "--system-info-seconds", "1",
                "--probe-seconds", "1", "--probe-port", Integer.toString(probePort));
        final List<NodeConnector> running = ConnectorCommand.start(command.nodes(), channel);
        try {
            final var nodes = NodeServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(admin));
            await().atMost(Duration.ofSeconds(30)).until(() -> nodes.getNodes(
                    dev.arcturus.gateway.api.v1.GetNodesRequest.newBuilder().setRegion("eu-south")
                            .setActiveWithinSeconds(10).build()).getNodesCount() == 2);
            final JobSpec.Builder job = oneShot("on-lab-4", Instant.now().plusSeconds(5), Duration.ofMinutes(2),
                    "echo from lab-4 > /arcturus/out/result.txt").setNodeId("lab-4").setLengthSeconds(10);
            assertThat(jobs().scheduleJob(ScheduleJobRequest.newBuilder().setJob(job).build()).getOutcome())
                    .isEqualTo(DecisionOutcome.ACCEPTED);
            await().atMost(Duration.ofSeconds(60)).until(() -> runs().getRuns(GetRunsRequest.newBuilder()
                    .setJobId("on-lab-4").setNodeId("lab-4").build()).getRunsList().stream()
                    .anyMatch(r -> r.getStatus() == RunStatus.COMPLETED));
            final List<String> telemetry = TopicReader.keys(plane.endpoints(),
                    List.of(dev.arcturus.topics.TopicCatalog.NODE_SYSTEM_INFO, dev.arcturus.topics.TopicCatalog.REGION_PROBE),
                    keys -> keys.contains("system-info:lab-3") && keys.contains("probe:lab-4"), Duration.ofSeconds(30));
            assertThat(telemetry).contains("system-info:lab-3", "system-info:lab-4", "probe:lab-4");
        } finally {
            running.forEach(NodeConnector::close);
            freeTheCalendar("on-lab-4");
        }
    }

    /** Deletes a finished exclusive job, so the other tests of this class can book lab-1 at any time. */
    private void freeTheCalendar(final String jobId) {
        jobs().deleteJob(DeleteJobRequest.newBuilder().setId(jobId).build());
    }

    @Test
    void shouldStartTheServerSideFirstAndStopItAfterTheClient() throws Exception {
        final String admin = Files.readString(dir.resolve("admin-token")).strip();
        final String serverToken = NodeServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(admin))
                .registerNode(RegisterNodeRequest.newBuilder().setNode(NodeSpec.newBuilder().setId("lab-2")
                        .setIp("192.0.2.20").setRegion("eu-west")).build()).getToken();
        try (NodeConnector server = NodeConnector.start(new ConnectorSettings("lab-2", serverToken,
                TestServices.require("ARCTURUS_TEST_DOCKER_HOST"), false, dir.resolve("runs-2"), Duration.ofSeconds(5)),
                channel)) {
            // One image for both sides, as in LEOScope: ARCTURUS_SERVER tells them apart.
            assertThat(jobs().scheduleJob(ScheduleJobRequest.newBuilder().setJob(oneShot("with-server",
                    Instant.now().plusSeconds(14), Duration.ofMinutes(5),
                    "if [ \"$ARCTURUS_SERVER\" = 1 ]; then echo up > /arcturus/out/server.txt; sleep 100; "
                            + "else echo client of $ARCTURUS_SERVER_NODE_ID at $ARCTURUS_SERVER_ADDRESS "
                            + "> /arcturus/out/client.txt; fi").setLengthSeconds(20).setServerNodeId("lab-2")).build())
                    .getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED);
            final Run client = awaitRun("with-server", RunStatus.COMPLETED);
            final RunServiceGrpc.RunServiceBlockingStub runs = runs();
            await().atMost(Duration.ofSeconds(60)).until(() -> runs.getRuns(GetRunsRequest.newBuilder()
                    .setRunId(client.getRunId() + "-server").build()).getRunsList().stream()
                    .anyMatch(r -> r.getStatus() == RunStatus.COMPLETED));
            assertThat(runs.getRuns(GetRunsRequest.newBuilder().setRunId(client.getRunId() + "-server").build())
                    .getRuns(0)).satisfies(serverRun -> {
                        assertThat(serverRun.getNodeId()).isEqualTo("lab-2");
                        assertThat(serverRun.getStatusMessage()).isEqualTo("stopped after the client finished");
                    });
            assertThat(Files.readString(dir.resolve("runs").resolve("with-server").resolve(client.getRunId())
                    .resolve("client.txt"))).isEqualTo("client of lab-2 at 192.0.2.20\n");
            assertThat(TaskServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(admin))
                    .getTasks(GetTasksRequest.newBuilder().setRunId(client.getRunId()).build()).getTasksList())
                    .extracting(t -> t.getType() + " " + t.getStatus())
                    .containsExactlyInAnyOrder("SERVER_START TASK_COMPLETE", "SERVER_STOP TASK_COMPLETE");
        }
        freeTheCalendar("with-server");
    }

    @Test
    void shouldNeverRunAnOccurrenceTwiceAcrossAConnectorRestart() throws Exception {
        final Instant start = Instant.now().plusSeconds(2);
        jobs().scheduleJob(ScheduleJobRequest.newBuilder().setJob(JobSpec.newBuilder().setId("every-5s")
                .setNodeId("lab-1").setType(JobType.CRON).setSchedule("@every 5s").setStart(Timestamps.of(start))
                .setEnd(Timestamps.of(start.plusSeconds(40))).setLengthSeconds(4).setExclusive(false)
                .setConfig(config("date +%s%N >> /arcturus/out/executions"))).build());
        await().atMost(Duration.ofSeconds(60)).until(() -> completedRuns("every-5s").size() >= 2);

        connector.close(); // a restart mid-schedule: the same node, the same work directory
        connector = NodeConnector.start(new ConnectorSettings("lab-1", nodeToken,
                TestServices.require("ARCTURUS_TEST_DOCKER_HOST"), false, dir.resolve("runs"), Duration.ofSeconds(5)),
                channel);
        final int beforeRestart = completedRuns("every-5s").size();
        await().atMost(Duration.ofSeconds(60)).until(() -> completedRuns("every-5s").size() >= beforeRestart + 2);

        for (final Run run : completedRuns("every-5s")) {
            assertThat(Files.readAllLines(dir.resolve("runs").resolve("every-5s").resolve(run.getRunId())
                    .resolve("executions"))).as("occurrence %s ran once", run.getRunId()).hasSize(1);
        }
        freeTheCalendar("every-5s");
    }

    private List<Run> completedRuns(final String jobId) {
        return runs().getRuns(GetRunsRequest.newBuilder().setJobId(jobId).build()).getRunsList().stream()
                .filter(r -> r.getStatus() == RunStatus.COMPLETED).toList();
    }

    @Test
    void shouldSkipARunWhoseTriggerIsFalseAndRecordWhatItSaw() {
        jobs().scheduleJob(ScheduleJobRequest.newBuilder().setJob(oneShot("gated", Instant.now().plusSeconds(4),
                Duration.ofMinutes(2), "true").setExclusive(false).setTrigger("load >= 0 && cpu > 1000")).build());
        assertThat(awaitRun("gated", RunStatus.SKIPPED).getStatusMessage())
                .startsWith("trigger false: load >= 0 && cpu > 1000 with {cpu=");
    }

    private static List<String> entries(final Path zip) throws Exception {
        final List<String> names = new ArrayList<>();
        try (InputStream file = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(file)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }
}
