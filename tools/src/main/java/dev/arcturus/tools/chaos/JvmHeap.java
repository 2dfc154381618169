package dev.arcturus.tools.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of another JVM (run with SerialGC, as {@link ChildJvm} starts them), measured the way a leak hunt does:
 * force a full collection ({@code jcmd GC.run}), then read what the old generation still holds
 * ({@code jcmd GC.heap_info}). Garbage never counts, so the figure only grows if something is really retained.
 */
public final class JvmHeap {
    /**
     * The old generation only: a full collection leaves the live set there (SerialGC compacts everything into it),
     * while the young generation refills with new garbage in the second or so jcmd takes to attach again.
     */
    private static final Pattern OLD_GENERATION_USED = Pattern.compile("tenured generation\\s+total \\d+K, used (\\d+)K");

    private JvmHeap() {
    }

    /** Bytes live in the heap of process {@code pid} right after a full GC. */
    public static long afterFullGc(final long pid) {
        jcmd(pid, "GC.run");
        final Matcher used = OLD_GENERATION_USED.matcher(jcmd(pid, "GC.heap_info"));
        if (!used.find()) {
            throw new IllegalStateException("jcmd GC.heap_info of " + pid + " shows no tenured generation (not SerialGC?)");
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    private static String jcmd(final long pid, final String command) {
        final String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            final Process process = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true)
                    .start();
            final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
            }
            return out;
        } catch (final IOException e) {
            throw new IllegalStateException("cannot run " + jcmd, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running jcmd", e);
        }
    }
}
