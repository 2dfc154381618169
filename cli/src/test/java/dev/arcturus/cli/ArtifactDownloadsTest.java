package dev.arcturus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bulk download against a local HTTP server that answers as Blob Storage does (HEAD with Content-MD5, GET). */
class ArtifactDownloadsTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, String> advertisedMd5 = new ConcurrentHashMap<>();
    private final AtomicInteger gets = new AtomicInteger();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger mostConcurrent = new AtomicInteger();
    private final java.util.concurrent.CountDownLatch twoInFlight = new java.util.concurrent.CountDownLatch(2);
    private volatile boolean pairUp;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            final String name = exchange.getRequestURI().getPath().substring(1);
            final byte[] body = blobs.get(name);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().add("Content-MD5", advertisedMd5.getOrDefault(name, md5(body)));
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
                return;
            }
            gets.incrementAndGet();
            mostConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try (OutputStream out = exchange.getResponseBody()) {
                exchange.sendResponseHeaders(200, body.length);
                // The first two transfers wait for each other: only parallel downloads get past this quickly.
                if (pairUp) {
                    twoInFlight.countDown();
                    twoInFlight.await(5, java.util.concurrent.TimeUnit.SECONDS);
                }
                out.write(body);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                concurrent.decrementAndGet();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String md5(final byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ArtifactDownloads.Artifact artifact(final String run, final String content) {
        blobs.put(run, content.getBytes(StandardCharsets.UTF_8));
        return new ArtifactDownloads.Artifact(run, "http://127.0.0.1:" + server.getAddress().getPort() + "/" + run,
                ArtifactDownloads.layout(dir, "node-1", "job-1", Instant.parse("2026-03-04T05:06:07Z"), run));
    }

    private List<ArtifactDownloads.Outcome> fetch(final List<ArtifactDownloads.Artifact> artifacts)
            throws InterruptedException {
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final List<ArtifactDownloads.Outcome> outcomes = new ArtifactDownloads(4, new PrintStream(progress, true,
                StandardCharsets.UTF_8)).fetchAll(artifacts);
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains(artifacts.size() + "/" + artifacts.size()
                + " files");
        return outcomes;
    }

    @Test
    void downloadsInParallelIntoLeoScopesLayoutAndSkipsWhatIsAlreadyThere() throws Exception {
        pairUp = true;
        final List<ArtifactDownloads.Artifact> artifacts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            artifacts.add(artifact("run-" + i, "results of run " + i));
        }
        assertThat(fetch(artifacts)).extracting(ArtifactDownloads.Outcome::result)
                .containsOnly(ArtifactDownloads.Result.DOWNLOADED);
        assertThat(mostConcurrent.get()).isBetween(2, 4);
        assertThat(dir.resolve("node-1/job-1/2026/3/4/run-3.zip")).hasContent("results of run 3");
        assertThat(Files.list(dir.resolve("node-1/job-1/2026/3/4")).map(p -> p.getFileName().toString()))
                .noneMatch(name -> name.endsWith(".part"));

        // Run again after one file changed on the server and another was damaged locally: only those two move.
        blobs.put("run-1", "newer results".getBytes(StandardCharsets.UTF_8));
        Files.writeString(artifacts.get(2).target(), "truncat");
        gets.set(0);
        final List<ArtifactDownloads.Outcome> again = fetch(artifacts);
        assertThat(again).filteredOn(o -> o.result() == ArtifactDownloads.Result.DOWNLOADED)
                .extracting(o -> o.artifact().runId()).containsExactlyInAnyOrder("run-1", "run-2");
        assertThat(again).filteredOn(o -> o.result() == ArtifactDownloads.Result.SKIPPED).hasSize(6);
        assertThat(gets.get()).isEqualTo(2);
        assertThat(artifacts.get(1).target()).hasContent("newer results");
        assertThat(artifacts.get(2).target()).hasContent("results of run 2");
    }

    @Test
    void refusesACorruptTransferAndKeepsNothingOfIt() throws Exception {
        final ArtifactDownloads.Artifact bad = artifact("run-x", "payload");
        advertisedMd5.put("run-x", md5("something else".getBytes(StandardCharsets.UTF_8)));
        final ArtifactDownloads.Artifact missing = new ArtifactDownloads.Artifact("gone",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/gone", dir.resolve("gone.zip"));
        final List<ArtifactDownloads.Outcome> outcomes = fetch(List.of(bad, missing));
        assertThat(outcomes).extracting(ArtifactDownloads.Outcome::result)
                .containsOnly(ArtifactDownloads.Result.FAILED);
        assertThat(outcomes.get(0).detail()).startsWith("checksum mismatch");
        assertThat(outcomes.get(1).detail()).isEqualTo("HTTP 404");
        assertThat(bad.target()).doesNotExist();
        assertThat(bad.target().resolveSibling("run-x.zip.part")).doesNotExist();
    }

    @Test
    void neverLetsAnIdLeaveTheDownloadDirectory() {
        assertThatThrownBy(() -> ArtifactDownloads.layout(dir, "..", "job", Instant.EPOCH, "run"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArtifactDownloads.layout(dir, "node", "job", Instant.EPOCH, "a/../../b"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
