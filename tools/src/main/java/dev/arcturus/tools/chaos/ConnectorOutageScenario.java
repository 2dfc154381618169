package dev.arcturus.tools.chaos;

import com.azure.storage.blob.BlobClientBuilder;
import dev.arcturus.connector.journal.RunJournal;
import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.GatewaySettings;
import dev.arcturus.gateway.api.v1.DecisionOutcome;
import dev.arcturus.gateway.api.v1.GetRunsRequest;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.JobSpec;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.NodeSpec;
import dev.arcturus.gateway.api.v1.PageRequest;
import dev.arcturus.gateway.api.v1.RegisterNodeRequest;
import dev.arcturus.gateway.api.v1.RegisterUserRequest;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.Run;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.ScheduleJobRequest;
import dev.arcturus.gateway.api.v1.UserServiceGrpc;
import dev.arcturus.gateway.client.GatewayChannels;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.launcher.plane.PlaneSettings;
import dev.arcturus.launcher.plane.RunningPlane;
import dev.arcturus.testing.TcpProxy;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arcturus chaos connector-outage}: a standalone node agent reaches the gateway through a TCP proxy standing
 * for its field link, and runs an {@code @every 10s} job on the real dockerd with artifacts to Azurite. The link is
 * cut while a run executes and stays down for several occurrences; during the cut the agent is SIGKILLed and started
 * again (it cannot reach the plane: it resumes from its journal). Then the link returns.
 *
 * <p>lost = occurrences in the job's window with no final status, plus finished runs whose artifact is missing;
 * duplicated = runs executed more than once (each execution appends to a file in its run directory) or runs the
 * plane holds that are not occurrences of the window. Also printed: how long after the link returned every run was
 * final in the plane ({@code delivered_after_reconnect_s}).
 */
@Command(name = "connector-outage", mixinStandardHelpOptions = true,
        description = "Cut a node agent's link (and SIGKILL it) mid-run; check no run is lost or duplicated.")
public final class ConnectorOutageScenario extends ChaosScenario {
    /** A run that will not change again: the agent's own definition. */
    private static final Set<RunStatus> FINAL = RunJournal.FINAL;
    private static final Set<RunStatus> EXECUTED = EnumSet.of(RunStatus.COMPLETED, RunStatus.FAILED,
            RunStatus.TIMED_OUT);
    private static final Duration PERIOD = Duration.ofSeconds(10);
    private static final String NODE = "field-1";
    private static final String JOB = "outage-probe";

    @Option(names = "--cut-for", defaultValue = "PT150S", description = "How long the link stays down (default ${DEFAULT-VALUE}).")
    Duration cutFor = Duration.ofSeconds(150);
    @Option(names = "--docker-host", defaultValue = "unix:///var/run/docker.sock")
    String dockerHost = "unix:///var/run/docker.sock";
    @Option(names = "--image", defaultValue = "arcturus/busybox:test", description = "A locally present image.")
    String image = "arcturus/busybox:test";

    public ConnectorOutageScenario() {
    }

    public ConnectorOutageScenario(final Duration cutFor) {
        this.cutFor = cutFor;
    }

    @Override
    public ChaosReport run() throws Exception {
        final String azurite = System.getenv("ARCTURUS_TEST_AZURITE_CONNECTION_STRING");
        if (azurite == null || azurite.isBlank()) {
            throw new IllegalStateException("ARCTURUS_TEST_AZURITE_CONNECTION_STRING is not set: run "
                    + "ops/test-env/prepare.sh, which starts Azurite and dockerd and writes .arcturus/test-env/env");
        }
        final Path dir = Files.createTempDirectory("arcturus-outage-");
        try (RunningPlane plane = RunningPlane.start(new PlaneSettings(dir.resolve("data"), "127.0.0.1", 0, 0, 0,
                Optional.empty(), Optional.empty(), (short) 1))) {
            final Gateway gateway = plane.startGateway(new GatewaySettings("127.0.0.1", 0, Optional.empty(),
                    GatewaySettings.DEFAULT_DECISION_DEADLINE, dir.resolve("admin-token"))
                    .withArtifactStorage(Optional.of(azurite)));
            final ManagedChannel channel = GatewayChannels.open("127.0.0.1:" + gateway.port(), Optional.empty(), true);
            try (TcpProxy link = TcpProxy.start("127.0.0.1", gateway.port())) {
                return exercise(dir, channel, link, azurite);
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private ChaosReport exercise(final Path dir, final ManagedChannel channel, final TcpProxy link,
                                 final String azurite) throws Exception {
        final String admin = Files.readString(dir.resolve("admin-token")).strip();
        final String nodeToken = NodeServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(admin))
                .registerNode(RegisterNodeRequest.newBuilder().setNode(NodeSpec.newBuilder().setId(NODE)
                        .setIp("127.0.0.1").setRegion("leo")).build()).getToken();
        final String researcher = UserServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(admin))
                .registerUser(RegisterUserRequest.newBuilder().setId("rita").setName("Rita").setRole(Role.USER).build())
                .getToken();
        final Path tokenFile = Files.writeString(dir.resolve("field-1.token"), nodeToken);
        final Path work = dir.resolve("agent");
        final List<String> agentArgs = List.of("connector", "--nodeid", NODE, "--node-token-file", tokenFile.toString(),
                "--gateway", "127.0.0.1:" + link.port(), "--plaintext", "--work-dir", work.toString(),
                "--docker-host", dockerHost, "--probe-port", "0", "--no-kernel-service", "--heartbeat-seconds", "2",
                "--system-info-seconds", "30", "--probe-seconds", "300", "--metrics-port", "0");
        final Path agentLog = dir.resolve("agent.log");
        final ChildJvm[] agent = {ChildJvm.launch("agent", agentLog, agentArgs)};
        try {
            agent[0].awaitOutput("Connector running", Duration.ofSeconds(60));
            return exerciseAgent(dir, channel, link, azurite, researcher, work, agentLog, agentArgs, agent);
        } finally {
            agent[0].close();
        }
    }

    private ChaosReport exerciseAgent(final Path dir, final ManagedChannel channel, final TcpProxy link,
                                      final String azurite, final String researcher, final Path work,
                                      final Path agentLog, final List<String> agentArgs, final ChildJvm[] agent)
            throws Exception {

        // The window: a warm-up occurrence or two, the cut, and a few occurrences after the link returns.
        final Instant start = Instant.now().plusSeconds(6).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        final Instant end = start.plus(PERIOD.multipliedBy(2)).plus(cutFor).plus(PERIOD.multipliedBy(3));
        final JobSpec job = JobSpec.newBuilder().setId(JOB).setNodeId(NODE).setType(JobType.CRON)
                .setSchedule("@every 10s").setStart(Timestamps.of(start)).setEnd(Timestamps.of(end))
                .setLengthSeconds(9).setExclusive(true).setConfig("docker:\n  image: " + image + "\n  network: none\n"
                        + "  command: [sh, -c, 'echo $ARCTURUS_RUN_ID >> /arcturus/out/executions; sleep 4']\n").build();
        final var decision = JobServiceGrpc.newBlockingStub(channel).withCallCredentials(GatewayChannels.bearer(researcher))
                .scheduleJob(ScheduleJobRequest.newBuilder().setJob(job).build());
        if (decision.getOutcome() != DecisionOutcome.ACCEPTED) {
            throw new IllegalStateException("the scenario's job was not accepted: " + decision.getReason());
        }
        final RunServiceGrpc.RunServiceBlockingStub runs = RunServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(GatewayChannels.bearer(researcher));

        // Cut the link while a run executes (the second occurrence, so one full run went through on a good link).
        if (!Waits.until(() -> runs(runs).stream().anyMatch(r -> r.getStatus() == RunStatus.EXECUTING
                && r.getScheduledAt().getSeconds() >= start.plus(PERIOD).getEpochSecond()), Duration.ofSeconds(60))) {
            throw new IllegalStateException("no run reached EXECUTING on the good link; the agent's log ends:\n"
                    + tail(agentLog));
        }
        link.cut();
        final Instant cutAt = Instant.now();
        System.out.println("link cut at " + cutAt + " with a run executing");
        Thread.sleep(Math.min(cutFor.toMillis() / 3, 30_000));
        agent[0].kill();
        System.out.println("agent SIGKILLed during the cut; starting it again (the plane is unreachable)");
        agent[0] = ChildJvm.launch("agent", agentLog, agentArgs).awaitOutput("Connector running", Duration.ofSeconds(60));
        Thread.sleep(Math.max(0, cutFor.toMillis() - Duration.between(cutAt, Instant.now()).toMillis()));
        link.restore();
        final Instant restoredAt = Instant.now();
        System.out.println("link restored after " + Duration.between(cutAt, restoredAt).toSeconds() + " s");

        final List<Instant> occurrences = new ArrayList<>();
        for (Instant at = start; at.isBefore(end); at = at.plus(PERIOD)) {
            occurrences.add(at);
        }
        // What the agent journaled during the cut (occurrences that had ended by the link's return) reaches the plane.
        final List<Instant> ranDuringCut = occurrences.stream().filter(at -> at.plus(PERIOD).isBefore(restoredAt))
                .toList();
        Waits.until(() -> missingFinal(runs(runs), ranDuringCut) == 0, Duration.ofMinutes(2));
        final double deliveredAfterReconnect = Duration.between(restoredAt, Instant.now()).toMillis() / 1000.0;
        // Then every occurrence of the window is final.
        Waits.until(() -> Instant.now().isAfter(end.plus(PERIOD)) && missingFinal(runs(runs), occurrences) == 0,
                Duration.between(Instant.now(), end).plus(Duration.ofMinutes(2)));
        final double allFinal = Duration.between(restoredAt, Instant.now()).toMillis() / 1000.0;
        return report(runs(runs), occurrences, work, azurite, cutAt, restoredAt, deliveredAfterReconnect, allFinal);
    }

    private static List<Run> runs(final RunServiceGrpc.RunServiceBlockingStub runs) {
        return runs.getRuns(GetRunsRequest.newBuilder().setJobId(JOB).setPage(PageRequest.newBuilder()
                .setPageSize(1000)).build()).getRunsList();
    }

    private static long missingFinal(final List<Run> runs, final List<Instant> occurrences) {
        final Map<Long, Run> bySecond = new LinkedHashMap<>();
        runs.forEach(r -> bySecond.put(r.getScheduledAt().getSeconds(), r));
        return occurrences.stream().filter(at -> {
            final Run run = bySecond.get(at.getEpochSecond());
            return run == null || !FINAL.contains(run.getStatus());
        }).count();
    }

    private static String tail(final Path log) {
        try {
            final String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 4_000));
        } catch (final IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private ChaosReport report(final List<Run> runs, final List<Instant> occurrences, final Path work,
                               final String azurite, final Instant cutAt, final Instant restoredAt,
                               final double deliveredAfterReconnect, final double waited) throws IOException {
        final long noFinal = missingFinal(runs, occurrences);
        long missingArtifacts = 0;
        for (final Run run : runs) {
            if (EXECUTED.contains(run.getStatus()) && (run.getArtifactUrl().isEmpty()
                    || !new BlobClientBuilder().connectionString(azurite).endpoint(run.getArtifactUrl()).buildClient()
                    .exists())) {
                missingArtifacts++;
            }
        }
        final Set<Long> expected = new java.util.HashSet<>();
        occurrences.forEach(at -> expected.add(at.getEpochSecond()));
        final long strangers = runs.stream().filter(r -> !expected.contains(r.getScheduledAt().getSeconds())).count();
        long executedTwice = 0;
        long executions = 0;
        try (Stream<Path> files = Files.walk(work)) {
            for (final Path file : files.filter(p -> p.getFileName().toString().equals("executions")).toList()) {
                final long lines = Files.readAllLines(file).size();
                executions += lines;
                executedTwice += lines > 1 ? 1 : 0;
            }
        }
        final long duringCut = occurrences.stream().filter(at -> !at.isBefore(cutAt) && at.isBefore(restoredAt))
                .count();
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("occurrences", occurrences.size());
        figures.put("during_cut", duringCut);
        figures.put("cut_s", Duration.between(cutAt, restoredAt).toSeconds());
        figures.put("agent_killed_during_cut", 1);
        figures.put("no_final_status", noFinal);
        figures.put("artifacts_missing", missingArtifacts);
        figures.put("executions", executions);
        figures.put("executed_twice", executedTwice);
        figures.put("unexpected_runs", strangers);
        for (final RunStatus status : List.of(RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.TIMED_OUT,
                RunStatus.MISSED)) {
            figures.put(status.name().toLowerCase(java.util.Locale.ROOT),
                    runs.stream().filter(r -> r.getStatus() == status).count());
        }
        figures.put("delivered_after_reconnect_s", deliveredAfterReconnect);
        figures.put("window_final_after_reconnect_s", waited);
        return new ChaosReport("connector-outage", noFinal + missingArtifacts, executedTwice + strangers, figures);
    }
}
