package dev.arcturus.tools.chaos;

import dev.arcturus.launcher.ArcturusCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An {@code arcturus} subcommand in its own JVM (this JVM's classpath), so a scenario can SIGKILL it the way a node's
 * kernel or an orchestrator would: no shutdown hook, no clean leave from the group, an open transaction left behind.
 */
public final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Path log;
    private final Process process;
    /** Where this launch's output starts in the (appended) log, so a restart never matches the last run's lines. */
    private final long logStart;

    private ChildJvm(final String name, final Path log, final Process process, final long logStart) {
        this.name = name;
        this.log = log;
        this.process = process;
        this.logStart = logStart;
    }

    /** Starts {@code arcturus <args>} with its output in {@code log}. */
    public static ChildJvm launch(final String name, final Path log, final List<String> args) {
        return launch(name, log, args, java.util.Map.of());
    }

    /** As {@link #launch(String, Path, List)}, with {@code env} added to this process's environment. */
    public static ChildJvm launch(final String name, final Path log, final List<String> args,
                                  final java.util.Map<String, String> env) {
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), ArcturusCommand.class.getName()));
        command.addAll(args);
        try {
            final long logStart = Files.exists(log) ? Files.size(log) : 0;
            final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            final Process process = builder.start();
            return new ChildJvm(name, log, process, logStart);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Waits until the child's output contains {@code marker}; fails with the log's tail if it dies or times out. */
    public ChildJvm awaitOutput(final String marker, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(marker)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before '" + marker
                        + "'; its log ends:\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not print '" + marker + "' within " + timeout
                        + "; its log ends:\n" + tail());
            }
            sleep(100);
        }
        return this;
    }

    /** SIGKILL: the process ends at once, as in a crash. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What this launch has printed so far. */
    public String output() {
        try {
            if (!Files.exists(log)) {
                return "";
            }
            final byte[] bytes = Files.readAllBytes(log);
            return new String(bytes, (int) Math.min(logStart, bytes.length), (int) Math.max(0, bytes.length - logStart),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (final IOException e) {
            return "";
        }
    }

    private String tail() {
        final String out = output();
        return out.substring(Math.max(0, out.length() - 4_000));
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") did not exit within 30 s");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name + " to exit", e);
        }
    }

    /** Sleeps, turning an interruption into an exception (the scenarios' one pause). */
    static void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** SIGTERM (a clean stop through the shutdown hooks); SIGKILL if that takes over 30 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
