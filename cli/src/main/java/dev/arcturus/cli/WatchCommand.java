package dev.arcturus.cli;

import com.google.protobuf.MessageOrBuilder;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.NodeServiceGrpc;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.api.v1.TaskServiceGrpc;
import dev.arcturus.gateway.api.v1.WatchRequest;
import java.util.Iterator;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code arcturus watch jobs|runs|liveness|assignments}: follows a stream, one line per event (JSON with
 * {@code --json}); pass the last printed resume token back with {@code --resume} to continue after a disconnect.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "Follow job events, runs, liveness or a "
        + "node's assignments as they happen.")
public final class WatchCommand {
    @Mixin
    GatewayClient gateway;

    @Command(name = "jobs", description = "Admission decisions on your jobs (ADMIN: all).")
    int jobs(@Option(names = "--resume", defaultValue = "") final String resume) {
        return follow(gateway.stub(JobServiceGrpc::newBlockingStub).watchJobEvents(request(resume, "")),
                e -> e.getBookmark() ? null : e.getDecision().getOutcome() + " " + e.getDecision().getJobId() + " "
                        + e.getDecision().getReason() + "  [resume " + e.getResumeToken() + "]");
    }

    @Command(name = "placement", description = "Placement's actions on your jobs (ADMIN: all): placements, moves "
            + "off dead nodes, balancing.")
    int placement(@Option(names = "--resume", defaultValue = "") final String resume) {
        return follow(gateway.stub(JobServiceGrpc::newBlockingStub).watchPlacementActions(request(resume, "")),
                e -> e.getBookmark() ? null : e.getAction().getType() + " " + e.getAction().getJobId() + " "
                        + e.getAction().getFromNodeIdsList() + " -> " + e.getAction().getToNodeIdsList() + " ("
                        + e.getAction().getReason() + ")  [resume " + e.getResumeToken() + "]");
    }

    @Command(name = "runs", description = "Run state changes you may see.")
    int runs(@Option(names = "--resume", defaultValue = "") final String resume,
             @Option(names = "--nodeid", defaultValue = "") final String node) {
        return follow(gateway.stub(RunServiceGrpc::newBlockingStub).watchRuns(request(resume, node)),
                e -> e.getBookmark() ? null : e.getRun().getRunId() + " " + e.getRun().getStatus() + " "
                        + e.getRun().getStatusMessage() + "  [resume " + e.getResumeToken() + "]");
    }

    @Command(name = "liveness", description = "Node liveness transitions.")
    int liveness(@Option(names = "--resume", defaultValue = "") final String resume,
                 @Option(names = "--nodeid", defaultValue = "") final String node) {
        return follow(gateway.stub(NodeServiceGrpc::newBlockingStub).watchLiveness(request(resume, node)),
                e -> e.getBookmark() ? null : e.getNodeId() + " " + e.getState() + " since " + Output.time(e.getSince())
                        + "  [resume " + e.getResumeToken() + "]");
    }

    @Command(name = "assignments", description = "A node's jobs and tasks: the current set, then changes.")
    int assignments(@Option(names = "--nodeid", required = true) final String node) {
        return follow(gateway.stub(TaskServiceGrpc::newBlockingStub).watchAssignments(request("", node)),
                a -> a.getBookmark() ? "-- current assignments above; changes follow --"
                        : a.hasJob() ? "job " + a.getJob().getSpec().getId() + " v" + a.getJob().getVersion()
                        : a.hasTask() ? "task " + a.getTask().getTaskId() + " " + a.getTask().getType() + " "
                        + a.getTask().getStatus() : "deleted job " + a.getDeletedJobId());
    }

    private static WatchRequest request(final String resume, final String node) {
        return WatchRequest.newBuilder().setResumeToken(resume).setNodeId(node).build();
    }

    private <E extends MessageOrBuilder> int follow(final Iterator<E> events, final Function<E, String> human) {
        final Output out = new Output(System.out, gateway.json());
        while (events.hasNext()) {
            final E event = events.next();
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
    }
}
