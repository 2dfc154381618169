package dev.arcturus.cli;

import com.google.protobuf.MessageOrBuilder;
import dev.arcturus.gateway.api.v1.JobEvent;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.LivenessEvent;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.PathEvent;
import dev.arcturus.gateway.api.v1.PlacementEvent;
import dev.arcturus.gateway.api.v1.PlaneServiceGrpc;
import dev.arcturus.gateway.api.v1.RunEvent;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.api.v1.TaskServiceGrpc;
import dev.arcturus.gateway.api.v1.WatchPathsRequest;
import dev.arcturus.gateway.api.v1.WatchRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code arcturus watch jobs|runs|liveness|paths|assignments}: follows a stream, one line per event (JSON with
 * {@code --json}); pass the last printed resume token back with {@code --resume} to continue after a disconnect.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "Follow job events, runs, liveness, paths "
        + "or a node's assignments as they happen.")
public final class WatchCommand {
    private static final Duration GIVE_UP = Duration.ofMinutes(2);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

    @Mixin
    GatewayClient gateway;

    @Command(name = "jobs", description = "Admission decisions on your jobs (ADMIN: all).")
    int jobs(@Option(names = "--resume", defaultValue = "") final String resume) {
        return follow(resume, from -> gateway.stub(JobServiceGrpc::newBlockingStub).watchJobEvents(request(from, "")),
                JobEvent::getResumeToken, e -> e.getBookmark() ? null : e.getDecision().getOutcome() + " " + e.getDecision().getJobId() + " "
                        + e.getDecision().getReason() + "  [resume " + e.getResumeToken() + "]");
    }

    @Command(name = "placement", description = "Placement's actions on your jobs (ADMIN: all): placements, moves "
            + "off dead nodes, balancing.")
    int placement(@Option(names = "--resume", defaultValue = "") final String resume) {
        return follow(resume, from -> gateway.stub(JobServiceGrpc::newBlockingStub)
                        .watchPlacementActions(request(from, "")), PlacementEvent::getResumeToken,
                e -> e.getBookmark() ? null : e.getAction().getType() + " " + e.getAction().getJobId() + " "
                        + e.getAction().getFromNodeIdsList() + " -> " + e.getAction().getToNodeIdsList() + " ("
                        + e.getAction().getReason() + ")  [resume " + e.getResumeToken() + "]");
    }

    @Command(name = "runs", description = "Run state changes you may see.")
    int runs(@Option(names = "--resume", defaultValue = "") final String resume,
             @Option(names = "--nodeid", defaultValue = "") final String node) {
        return follow(resume, from -> gateway.stub(RunServiceGrpc::newBlockingStub).watchRuns(request(from, node)),
                RunEvent::getResumeToken, e -> e.getBookmark() ? null : e.getRun().getRunId() + " " + e.getRun().getStatus() + " "
                        + e.getRun().getStatusMessage() + "  [resume " + e.getResumeToken() + "]");
    }

    @Command(name = "liveness", description = "Node liveness transitions.")
    int liveness(@Option(names = "--resume", defaultValue = "") final String resume,
                 @Option(names = "--nodeid", defaultValue = "") final String node) {
        return follow(resume, from -> gateway.stub(NodeServiceGrpc::newBlockingStub).watchLiveness(request(from, node)),
                LivenessEvent::getResumeToken, e -> e.getBookmark() ? null : e.getNodeId() + " " + e.getState() + " since " + Output.time(e.getSince())
                        + "  [resume " + e.getResumeToken() + "]");
    }

    @Command(name = "paths", description = "Path selections from a region or a node as they change (what a proxy "
            + "follows).")
    int paths(@Option(names = "--resume", defaultValue = "") final String resume,
              @Option(names = "--region", defaultValue = "") final String region,
              @Option(names = "--nodeid", defaultValue = "") final String node) {
        return follow(resume, from -> gateway.stub(PlaneServiceGrpc::newBlockingStub).watchPaths(WatchPathsRequest
                        .newBuilder().setResumeToken(from).setRegion(region).setNodeId(node).build()),
                PathEvent::getResumeToken, e -> e.getBookmark() ? null : e.getSelectionKey() + " "
                        + (e.getRemoved().isEmpty() ? PlaneCommand.routes(e.getSelection()) : "removed")
                        + "  [resume " + e.getResumeToken() + "]");
    }

    @Command(name = "assignments", description = "A node's jobs and tasks: the current set, then changes.")
    int assignments(@Option(names = "--nodeid", required = true) final String node) {
        // No token: a reconnected stream starts again with the node's current set.
        return follow("", from -> gateway.stub(TaskServiceGrpc::newBlockingStub).watchAssignments(request("", node)),
                a -> "", a -> a.getBookmark() ? "-- current assignments above; changes follow --"
                        : a.hasJob() ? "job " + a.getJob().getSpec().getId() + " v" + a.getJob().getVersion()
                        : a.hasTask() ? "task " + a.getTask().getTaskId() + " " + a.getTask().getType() + " "
                        + a.getTask().getStatus() : "deleted job " + a.getDeletedJobId());
    }

    private static WatchRequest request(final String resume, final String node) {
        return WatchRequest.newBuilder().setResumeToken(resume).setNodeId(node).build();
    }

    /**
     * Prints events as they come. When the gateway goes away (UNAVAILABLE: a replica died or restarted) the watch
     * opens again from the token of the last event printed — on the next replica if several are named — so nothing is
     * missed or printed twice; it gives up after {@link #GIVE_UP} without a gateway.
     */
    private <E extends MessageOrBuilder> int follow(final String resume, final Function<String, Iterator<E>> open,
                                                    final Function<E, String> token, final Function<E, String> human) {
        final Output out = new Output(System.out, gateway.json());
        String from = resume;
        long unavailableSince = 0;
        while (true) {
            try {
                final Iterator<E> events = open.apply(from);
                while (events.hasNext()) {
                    final E event = events.next();
                    unavailableSince = 0;
                    if (!token.apply(event).isEmpty()) {
                        from = token.apply(event);
                    }
                    if (out.json()) {
                        out.line(event);
                    } else {
                        final String line = human.apply(event);
                        if (line != null) {
                            out.text(line);
                        }
                    }
                    System.out.flush();
                }
                return ExitCodes.OK;
            } catch (final StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                    throw e;
                }
                final long now = System.nanoTime();
                unavailableSince = unavailableSince == 0 ? now : unavailableSince;
                if (now - unavailableSince > GIVE_UP.toNanos()) {
                    throw e;
                }
                System.err.println("watch: gateway unavailable (" + e.getStatus().getDescription() + "); resuming"
                        + (from.isEmpty() ? "" : " from " + from));
                sleep(RETRY_PAUSE);
            }
        }
    }

    private static void sleep(final Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
