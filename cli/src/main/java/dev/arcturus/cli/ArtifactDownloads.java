package dev.arcturus.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Downloads run artifacts several at a time with one progress line: each file is first asked for its size and
 * checksum (HEAD: {@code Content-MD5}, which Blob Storage keeps for every single-request upload); a file already on
 * disk with the same checksum is skipped, so an interrupted bulk download resumes where it stopped. A file is
 * written beside its target and moved into place only once complete and verified.
 */
final class ArtifactDownloads {
    /** One artifact: where to read it (a short-lived signed URL) and where it goes. */
    record Artifact(String runId, String url, Path target) {
    }

    /** What became of one artifact. */
    record Outcome(Artifact artifact, Result result, String detail) {
    }

    enum Result { DOWNLOADED, SKIPPED, FAILED }

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20)).build();
    private final int parallel;
    private final PrintStream progress;
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicLong bytesTotal = new AtomicLong();
    private final AtomicInteger filesDone = new AtomicInteger();
    private volatile long lastDrawn;
    private int files;

    ArtifactDownloads(final int parallel, final PrintStream progress) {
        this.parallel = parallel;
        this.progress = progress;
    }

    /** LEOScope's local layout: {@code <node>/<job>/<yyyy>/<m>/<d>/<run>.zip} (month and day not zero-padded). */
    static Path layout(final Path root, final String nodeId, final String jobId, final Instant scheduledAt,
                       final String runId) {
        final ZonedDateTime at = scheduledAt.atZone(ZoneOffset.UTC);
        return root.resolve(safe(nodeId)).resolve(safe(jobId)).resolve(Integer.toString(at.getYear()))
                .resolve(Integer.toString(at.getMonthValue())).resolve(Integer.toString(at.getDayOfMonth()))
                .resolve(safe(runId) + ".zip");
    }

    /** Ids become path segments: never let one climb out of the download directory. */
    private static String safe(final String id) {
        if (id.isEmpty() || id.equals(".") || id.equals("..") || id.contains("/") || id.contains("\\")) {
            throw new IllegalArgumentException("id '" + id + "' cannot be a file name");
        }
        return id;
    }

    List<Outcome> fetchAll(final List<Artifact> artifacts) throws InterruptedException {
        files = artifacts.size();
        final ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, artifacts.size())));
        try {
            final List<Future<Outcome>> pending = new ArrayList<>();
            for (final Artifact artifact : artifacts) {
                pending.add(pool.submit(() -> fetch(artifact)));
            }
            final List<Outcome> outcomes = new ArrayList<>();
            for (final Future<Outcome> outcome : pending) {
                try {
                    outcomes.add(outcome.get());
                } catch (final ExecutionException e) {
                    throw new IllegalStateException("a download failed unexpectedly", e.getCause());
                }
            }
            draw(true);
            progress.println();
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private Outcome fetch(final Artifact artifact) {
        try {
            final HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(artifact.url()))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            if (head.statusCode() != 200) {
                return done(new Outcome(artifact, Result.FAILED, "HTTP " + head.statusCode()));
            }
            final long size = head.headers().firstValueAsLong("content-length").orElse(0);
            final Optional<String> md5 = head.headers().firstValue("content-md5");
            bytesTotal.addAndGet(size);
            if (md5.isPresent() && Files.isRegularFile(artifact.target())
                    && md5.get().equals(md5Of(artifact.target()))) {
                bytesDone.addAndGet(size);
                return done(new Outcome(artifact, Result.SKIPPED, "same checksum"));
            }
            return done(download(artifact, md5));
        } catch (final IOException e) {
            return done(new Outcome(artifact, Result.FAILED, e.toString()));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return done(new Outcome(artifact, Result.FAILED, "interrupted"));
        }
    }

    private Outcome download(final Artifact artifact, final Optional<String> md5) throws IOException,
            InterruptedException {
        final HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(artifact.url())).GET()
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            return new Outcome(artifact, Result.FAILED, "HTTP " + response.statusCode());
        }
        Files.createDirectories(artifact.target().getParent());
        final Path partial = artifact.target().resolveSibling(artifact.target().getFileName() + ".part");
        final MessageDigest digest = md5();
        try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(partial)) {
            final byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                digest.update(buffer, 0, read);
                bytesDone.addAndGet(read);
                draw(false);
            }
        }
        final String got = Base64.getEncoder().encodeToString(digest.digest());
        if (md5.isPresent() && !md5.get().equals(got)) {
            Files.deleteIfExists(partial);
            return new Outcome(artifact, Result.FAILED, "checksum mismatch (expected " + md5.get() + ", got " + got + ")");
        }
        Files.move(partial, artifact.target(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Outcome(artifact, Result.DOWNLOADED, Files.size(artifact.target()) + " bytes");
    }

    private Outcome done(final Outcome outcome) {
        filesDone.incrementAndGet();
        draw(false);
        return outcome;
    }

    /** One line for all files, redrawn at most every 100 ms. */
    private synchronized void draw(final boolean last) {
        final long now = System.nanoTime();
        if (!last && now - lastDrawn < 100_000_000L) {
            return;
        }
        lastDrawn = now;
        final long total = Math.max(bytesTotal.get(), bytesDone.get());
        final int width = 30;
        final int filled = total == 0 ? width : (int) (width * bytesDone.get() / total);
        progress.printf("\r[%s%s] %d/%d files  %,d/%,d bytes", "#".repeat(filled), " ".repeat(width - filled),
                filesDone.get(), files, bytesDone.get(), total);
    }

    static String md5Of(final Path file) throws IOException {
        final MessageDigest digest = md5();
        try (InputStream in = Files.newInputStream(file)) {
            final byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
            }
        }
        return Base64.getEncoder().encodeToString(digest.digest());
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5"); // Blob Storage's Content-MD5: an integrity check, not security
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }
}
