package dev.arcturus.cli;

import dev.arcturus.gateway.api.v1.GetArtifactDownloadUrlRequest;
import dev.arcturus.gateway.api.v1.GetRunsResponse;
import dev.arcturus.gateway.api.v1.PageRequest;
import dev.arcturus.gateway.api.v1.Run;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.client.Timestamps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code arcturus run get|download}. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Experiment runs and their artifacts.")
public final class RunCommand {
    @Mixin
    GatewayClient gateway;

    private RunServiceGrpc.RunServiceBlockingStub runs() {
        return gateway.stub(RunServiceGrpc::newBlockingStub);
    }

    @Command(name = "get", description = "Runs you may see, newest first; filters combine.")
    int get(@Mixin final RunFilter filter, @Option(names = "--limit", defaultValue = "20") final int limit) {
        if (limit < 1) {
            System.err.println("error: INVALID_ARGUMENT: --limit must be positive");
            return ExitCodes.INVALID;
        }
        final List<Run> found = select(filter, limit);
        final Output out = new Output(System.out, gateway.json());
        if (out.json()) {
            found.forEach(out::line);
        } else {
            out.table(List.of("RUN", "JOB", "NODE", "SCHEDULED", "STATUS", "EXIT", "ARTIFACT"),
                    found.stream().map(r -> List.of(r.getRunId(), r.getJobId(), r.getNodeId(),
                            Output.time(r.getScheduledAt()), r.getStatus().name(),
                            r.getHasExitCode() ? Integer.toString(r.getExitCode()) : "-",
                            Output.orDash(r.getArtifactUrl()))).toList());
        }
        return ExitCodes.OK;
    }

    @Command(name = "download", description = {"Download run artifacts: one run (--runid), or the runs you may see "
            + "by job, node, owner and scheduled time, newest first, up to --limit; several files at a time with one "
            + "progress line on stderr.",
        "Layout (LEOScope's): <local-path>/<node>/<job>/<yyyy>/<m>/<d>/<run>.zip. A file already there with the "
            + "same checksum is skipped, so running the same command again resumes an interrupted download."})
    int download(@Mixin final RunFilter filter,
                 @Option(names = "--limit", defaultValue = "100", description = "At most this many runs "
                         + "(default ${DEFAULT-VALUE}).") final int limit,
                 @Option(names = "--parallel", defaultValue = "4", description = "Files at a time "
                         + "(default ${DEFAULT-VALUE}).") final int parallel,
                 @Option(names = "--local-path", defaultValue = ".") final Path directory)
            throws InterruptedException {
        if (filter.isEmpty()) {
            System.err.println("error: INVALID_ARGUMENT: name what to download: --runid, or any of --jobid, "
                    + "--nodeid, --userid, --from/--to");
            return ExitCodes.INVALID;
        }
        if (limit < 1 || parallel < 1 || parallel > 32) {
            System.err.println("error: INVALID_ARGUMENT: --limit must be positive and --parallel 1..32");
            return ExitCodes.INVALID;
        }
        final List<Run> found = select(filter, limit);
        if (found.isEmpty()) {
            System.err.println("error: NOT_FOUND: no run " + (!filter.byRunId() ? "matches" : "'" + filter.runId()
                    + "' exists or it is not yours"));
            return ExitCodes.NOT_FOUND;
        }
        final List<ArtifactDownloads.Artifact> artifacts = new ArrayList<>();
        int withoutArtifact = 0;
        for (final Run run : found) {
            if (run.getArtifactUrl().isEmpty()) {
                withoutArtifact++;
                continue;
            }
            // The recorded URL grants nothing; the gateway signs a short-lived read URL for this caller.
            final String url = runs().getArtifactDownloadUrl(GetArtifactDownloadUrlRequest.newBuilder()
                    .setRunId(run.getRunId()).build()).getUrl();
            artifacts.add(new ArtifactDownloads.Artifact(run.getRunId(), url, ArtifactDownloads.layout(directory,
                    run.getNodeId(), run.getJobId(), Timestamps.instant(run.getScheduledAt()), run.getRunId())));
        }
        System.err.printf("%d run(s) found, %d with artifacts%s%n", found.size(), artifacts.size(),
                withoutArtifact == 0 ? "" : " (" + withoutArtifact + " without: nothing to download yet)");
        final List<ArtifactDownloads.Outcome> outcomes = new ArtifactDownloads(parallel, System.err)
                .fetchAll(artifacts);
        final Output out = new Output(System.out, gateway.json());
        out.table(List.of("RUN", "RESULT", "FILE", "DETAIL"), outcomes.stream().map(o -> List.of(
                o.artifact().runId(), o.result().name(), o.artifact().target().toString(), o.detail())).toList());
        final long failed = outcomes.stream().filter(o -> o.result() == ArtifactDownloads.Result.FAILED).count();
        System.err.printf("downloaded %d, skipped %d (same checksum), failed %d%n",
                outcomes.stream().filter(o -> o.result() == ArtifactDownloads.Result.DOWNLOADED).count(),
                outcomes.stream().filter(o -> o.result() == ArtifactDownloads.Result.SKIPPED).count(), failed);
        return failed > 0 ? ExitCodes.UNAVAILABLE : ExitCodes.OK;
    }

    /** The runs the filter means, newest first, paging through the gateway's answer up to {@code limit}. */
    private List<Run> select(final RunFilter filter, final int limit) {
        final List<Run> selected = new ArrayList<>();
        String token = "";
        do {
            final GetRunsResponse page = runs().getRuns(filter.request().setPage(PageRequest.newBuilder()
                            .setPageSize(Math.min(1_000, limit - selected.size())).setPageToken(token)).build());
            selected.addAll(page.getRunsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty() && selected.size() < limit);
        return selected.size() > limit ? selected.subList(0, limit) : selected;
    }
}
