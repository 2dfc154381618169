package dev.arcturus.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Paths of the repository's ops artefacts (tests run in ops/), and running their real tools. */
final class OpsFiles {
    static final Path OPS = Path.of("").toAbsolutePath();
    static final Path ROOT = OPS.getParent();

    private OpsFiles() {
    }

    record Result(int exit, String output) {
    }

    /** Runs a command (fixed argv, never a shell string) and returns its exit code and merged output. */
    static Result run(final Map<String, String> env, final Path dir, final long timeoutSeconds, final String... argv)
            throws IOException, InterruptedException {
        final ProcessBuilder builder = new ProcessBuilder(List.of(argv)).directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        final Process process = builder.start();
        final byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", argv) + " did not finish within " + timeoutSeconds + " s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    static List<String> args(final String... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
