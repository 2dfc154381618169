package dev.arcturus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arcturus up} as a newcomer starts it, in its own JVM with a fresh state folder: the console holds the banner
 * and nothing a newcomer would read as a fault, the whole log goes to the file the banner names, and the local
 * connector's kernel service starts on the Docker bridge of the test {@code dockerd}. Then the same with the plane's
 * data deleted but the rest of the state folder kept (how a user resets the plane).
 */
class UpConsoleTest {
    private static final String BANNER = "Arcturus is up";

    @TempDir
    Path dir;

    @Test
    void shouldStartWithABannerAndNoWarningsOnTheConsole() throws IOException {
        final Path state = dir.resolve("state");
        final String firstStart = startAndStop(state, dir.resolve("console-1.txt"));
        final Path logFile = state.resolve("logs").resolve("arcturus.log");
        final String log = Files.readString(logFile);

        assertNothingAlarming(firstStart, log);
        assertThat(firstStart).as("nothing but the banner before it").startsWith(System.lineSeparator() + BANNER);
        assertThat(firstStart).contains("  Log               " + logFile.toAbsolutePath())
                .contains("Local connector   node 'local'");
        assertThat(log).as("the file has the whole log").contains("state REBALANCING -> RUNNING")
                .contains("Kernel service listening on http://").doesNotContain("Kernel service not started");
        for (final Path secret : List.of(state, state.resolve("data"), state.resolve("logs"), state.resolve("tls"))) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
                    .as(secret + " holds the plane's state: its owner's only").isEqualTo("rwx------");
        }
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                state.resolve("admin-token")))).isEqualTo("rw-------");

        deleteTree(state.resolve("data"));
        final String afterReset = startAndStop(state, dir.resolve("console-2.txt"));
        assertNothingAlarming(afterReset, Files.readString(logFile));
        assertThat(Files.readString(logFile)).as("the local node's token from the deleted plane is replaced")
                .contains("is unknown to this plane (its data is new); issuing another");
    }

    /** The console of one {@code up}, from start to a few seconds after its banner. */
    private static String startAndStop(final Path state, final Path console) throws IOException {
        final List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                // The logging configuration `up` ships with, not the test classpath's.
                "-Dlogback.configurationFile=" + UpCommand.class.getResource("/logback.xml"),
                "-cp", System.getProperty("java.class.path"), ArcturusCommand.class.getName(), "up",
                "--data-dir", state.resolve("data").toString(), "--kafka-port", "0", "--controller-port", "0",
                "--registry-port", "0", "--gateway-port", "0", "--dashboard-port", "0", "--metrics-port", "0");
        final Process up = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile())
                .start();
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .failFast("up exited before its banner", () -> !up.isAlive())
                    .until(() -> Files.readString(console).contains("Press Ctrl-C to stop."));
            // The connector's first heartbeat, telemetry and assignment stream come after the banner: nothing
            // alarming may appear in the seconds that follow either.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(alarming(Files.readString(console))).isEmpty());
            return Files.readString(console);
        } finally {
            up.destroy(); // SIGTERM: a clean stop through the shutdown hook
            try {
                if (!up.waitFor(60, TimeUnit.SECONDS)) {
                    up.destroyForcibly().waitFor();
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                up.destroyForcibly();
            }
        }
    }

    private static void assertNothingAlarming(final String console, final String log) {
        assertThat(alarming(console)).as("WARN/ERROR lines on the console; the log file has:%n%s", log).isEmpty();
    }

    /** The console's WARN and ERROR lines before a stop began (what a stop logs is not part of the start). */
    private static List<String> alarming(final String console) {
        final int stopping = console.indexOf("Stopping Arcturus");
        final String upToStop = stopping < 0 ? console : console.substring(0, stopping);
        return upToStop.lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).toList();
    }

    private static void deleteTree(final Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (final Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
