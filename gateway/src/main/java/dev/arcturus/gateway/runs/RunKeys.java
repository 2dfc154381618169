package dev.arcturus.gateway.runs;

import dev.arcturus.avro.RunState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The run store's key layout, one keyspace with a leading byte per kind. Index keys end in
 * {@code inverted scheduled millis (8 bytes, big-endian) + run id}, so a forward scan of one job, node or owner (or
 * of all runs) returns them newest first, and the inverted time plus run id is the page token
 * ({@code %020d|runId}, the gateway's token format before runs moved to disk).
 */
final class RunKeys {
    static final byte RUN = 'r';
    static final byte BY_JOB = 'j';
    static final byte BY_NODE = 'n';
    static final byte BY_OWNER = 'o';
    static final byte BY_TIME = 't';
    static final byte META = 'm';
    private static final byte SEPARATOR = 0;

    private RunKeys() {
    }

    static byte[] run(final String runId) {
        return concat(new byte[] {RUN}, utf8(runId));
    }

    /** The prefix of one index: {@code kind + id + 0} (just {@code t} for all runs). */
    static byte[] indexPrefix(final byte kind, final String id) {
        return kind == BY_TIME ? new byte[] {BY_TIME} : concat(new byte[] {kind}, utf8(id), new byte[] {SEPARATOR});
    }

    static byte[] indexEntry(final byte[] prefix, final long inverted, final String runId) {
        return concat(prefix, longBytes(inverted), utf8(runId));
    }

    /** Every index entry of a run. */
    static List<byte[]> indexEntries(final RunState run) {
        final long inverted = invert(run.getScheduledAt().toEpochMilli());
        final List<byte[]> entries = new ArrayList<>(4);
        entries.add(indexEntry(indexPrefix(BY_JOB, run.getJobId()), inverted, run.getRunId()));
        entries.add(indexEntry(indexPrefix(BY_NODE, run.getNodeId()), inverted, run.getRunId()));
        entries.add(indexEntry(indexPrefix(BY_OWNER, run.getOwnerId()), inverted, run.getRunId()));
        entries.add(indexEntry(indexPrefix(BY_TIME, ""), inverted, run.getRunId()));
        return entries;
    }

    static long invert(final long epochMillis) {
        return Long.MAX_VALUE - epochMillis;
    }

    static long invertedOf(final byte[] entry, final byte[] prefix) {
        return ByteBuffer.wrap(entry, prefix.length, Long.BYTES).getLong();
    }

    static String runIdOf(final byte[] entry, final byte[] prefix) {
        final int start = prefix.length + Long.BYTES;
        return new String(entry, start, entry.length - start, StandardCharsets.UTF_8);
    }

    static String sortKey(final long inverted, final String runId) {
        return String.format("%020d|%s", inverted, runId);
    }

    static String sortKey(final RunState run) {
        return sortKey(invert(run.getScheduledAt().toEpochMilli()), run.getRunId());
    }

    /** The first index key after the run with this sort key; null when the token is not one of ours. */
    static byte[] after(final byte[] prefix, final String sortKey) {
        final int bar = sortKey.indexOf('|');
        if (bar != 20) {
            return null;
        }
        try {
            final long inverted = Long.parseLong(sortKey.substring(0, bar));
            return concat(indexEntry(prefix, inverted, sortKey.substring(bar + 1)), new byte[] {SEPARATOR});
        } catch (final NumberFormatException e) {
            return null;
        }
    }

    static boolean startsWith(final byte[] key, final byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    static byte[] meta(final String name) {
        return concat(new byte[] {META}, utf8(name));
    }

    static byte[] longBytes(final long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    static long longOf(final byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }

    static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(final byte[]... parts) {
        int length = 0;
        for (final byte[] part : parts) {
            length += part.length;
        }
        final byte[] joined = new byte[length];
        int at = 0;
        for (final byte[] part : parts) {
            System.arraycopy(part, 0, joined, at, part.length);
            at += part.length;
        }
        return joined;
    }
}
