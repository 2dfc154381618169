package dev.arcturus.cli;

import dev.arcturus.gateway.api.v1.GetArtifactDownloadUrlRequest;
import dev.arcturus.gateway.api.v1.GetRunsRequest;
import dev.arcturus.gateway.api.v1.GetRunsResponse;
import dev.arcturus.gateway.api.v1.PageRequest;
import dev.arcturus.gateway.api.v1.Run;
import dev.arcturus.gateway.api.v1.RunServiceGrpc;
import dev.arcturus.gateway.api.v1.TimeRange;
import dev.arcturus.gateway.client.Timestamps;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
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
    int get(@Option(names = "--runid", defaultValue = "") final String runId,
            @Option(names = "--jobid", defaultValue = "") final String jobId,
            @Option(names = "--nodeid", defaultValue = "") final String nodeId,
            @Option(names = "--userid", defaultValue = "") final String owner,
            @Option(names = "--from", description = "Scheduled at or after (ISO-8601).") final Instant from,
            @Option(names = "--to", description = "Scheduled before (ISO-8601).") final Instant to,
            @Option(names = "--limit", defaultValue = "20") final int limit) {
        final TimeRange.Builder range = TimeRange.newBuilder();
        if (from != null) {
            range.setStart(Timestamps.of(from));
        }
        if (to != null) {
            range.setEnd(Timestamps.of(to));
        }
        final GetRunsResponse found = runs().getRuns(GetRunsRequest.newBuilder().setRunId(runId).setJobId(jobId)
                .setNodeId(nodeId).setOwnerId(owner).setScheduled(range)
                .setPage(PageRequest.newBuilder().setPageSize(limit)).build());
        final Output out = new Output(System.out, gateway.json());
        if (out.json()) {
            found.getRunsList().forEach(out::line);
        } else {
            out.table(List.of("RUN", "JOB", "NODE", "SCHEDULED", "STATUS", "EXIT", "ARTIFACT"),
                    found.getRunsList().stream().map(r -> List.of(r.getRunId(), r.getJobId(), r.getNodeId(),
                            Output.time(r.getScheduledAt()), r.getStatus().name(),
                            r.getHasExitCode() ? Integer.toString(r.getExitCode()) : "-",
                            Output.orDash(r.getArtifactUrl()))).toList());
        }
        return ExitCodes.OK;
    }

    @Command(name = "download", description = "Download a run's artifact zip, with a progress bar on stderr.")
    int download(@Option(names = "--runid", required = true) final String runId,
                 @Option(names = "--local-path", defaultValue = ".") final Path directory) throws IOException,
            InterruptedException {
        final List<Run> found = runs().getRuns(GetRunsRequest.newBuilder().setRunId(runId).build()).getRunsList();
        if (found.isEmpty()) {
            System.err.println("error: NOT_FOUND: run '" + runId + "' does not exist or is not yours");
            return ExitCodes.NOT_FOUND;
        }
        // The recorded URL grants nothing; the gateway signs a short-lived read URL for this caller.
        final String url = runs().getArtifactDownloadUrl(GetArtifactDownloadUrlRequest.newBuilder().setRunId(runId)
                .build()).getUrl();
        Files.createDirectories(directory);
        final Path target = directory.resolve(runId + ".zip");
        final HttpResponse<InputStream> response = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .build().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            System.err.println("error: artifact download answered HTTP " + response.statusCode());
            return ExitCodes.UNAVAILABLE;
        }
        final long total = response.headers().firstValueAsLong("content-length").orElse(-1);
        final Path partial = directory.resolve(runId + ".zip.part");
        try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(partial)) {
            final byte[] buffer = new byte[64 * 1024];
            long done = 0;
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                done += read;
                progress(done, total);
            }
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        System.err.println();
        new Output(System.out, gateway.json()).text(target.toString());
        return ExitCodes.OK;
    }

    private static void progress(final long done, final long total) {
        if (total <= 0) {
            System.err.printf("\r%,d bytes", done);
            return;
        }
        final int width = 40;
        final int filled = (int) (width * done / total);
        System.err.printf("\r[%s%s] %3d%% %,d/%,d bytes", "#".repeat(filled), " ".repeat(width - filled),
                100 * done / total, done, total);
    }
}
