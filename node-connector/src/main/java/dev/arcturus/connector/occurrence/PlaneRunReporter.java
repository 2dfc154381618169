package dev.arcturus.connector.occurrence;

import dev.arcturus.gateway.api.v1.GetRunsRequest;
import dev.arcturus.gateway.api.v1.Run;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.UpdateRunRequest;
import java.time.Instant;
import java.util.Optional;

/** Reports each step straight to the plane's {@code UpdateRun}, and asks the plane what it knows of a run. */
public final class PlaneRunReporter implements RunReporter {
    private final RunServiceGrpc.RunServiceBlockingStub runs;
    private final RunMeters meters;

    public PlaneRunReporter(final RunServiceGrpc.RunServiceBlockingStub runs, final RunMeters meters) {
        this.runs = runs;
        this.meters = meters;
    }

    @Override
    public void report(final UpdateRunRequest update) {
        runs.updateRun(update);
        meters.reported(update.getStatus(), Instant.ofEpochSecond(update.getScheduledAt().getSeconds()), Instant.now());
    }

    @Override
    public Optional<RunStatus> lastStatus(final String runId) {
        return runs.getRuns(GetRunsRequest.newBuilder().setRunId(runId).build()).getRunsList().stream().findFirst()
                .map(Run::getStatus);
    }
}
