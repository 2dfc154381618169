package dev.arcturus.launcher.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of another JVM, measured the way a leak hunt does: force a full collection ({@code jcmd GC.run}), then
 * read what the generations still hold ({@code jcmd GC.heap_info}). Garbage never counts, so the figure only grows
 * if something is really retained.
 */
final class JvmHeap {
    private static final Pattern GENERATION_USED = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");

    private JvmHeap() {
    }

    /** Bytes live in the heap of process {@code pid} right after a full GC. */
    static long afterFullGc(final long pid) {
        jcmd(pid, "GC.run");
        final Matcher used = GENERATION_USED.matcher(jcmd(pid, "GC.heap_info"));
        long kib = 0;
        boolean found = false;
        while (used.find()) {
            kib += Long.parseLong(used.group(1));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("jcmd GC.heap_info of " + pid + " shows no generations (not SerialGC?)");
        }
        return kib * 1024;
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
