package dev.arcturus.gateway.runs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how a gateway keeps run history.
 *
 * @param directory  the on-disk store (RocksDB); empty: a temporary directory removed when the gateway stops, so the
 *                   history is rebuilt from the topic at every start
 * @param hotWindow  how long a final run stays answerable here after it was scheduled; older final runs leave this
 *                   store (the MongoDB sink keeps them); an open run never leaves
 * @param cacheBytes RocksDB's block cache (off-heap): what the history may keep in memory, whatever its size on disk
 */
public record RunHistorySettings(Optional<Path> directory, Duration hotWindow, long cacheBytes) {
    public static final Duration DEFAULT_HOT_WINDOW = Duration.ofDays(90);
    public static final long DEFAULT_CACHE_BYTES = 64L << 20;

    public RunHistorySettings {
        if (hotWindow.isNegative() || hotWindow.isZero()) {
            throw new IllegalArgumentException("run history hot window must be positive, was " + hotWindow);
        }
        if (cacheBytes < (1L << 20)) {
            throw new IllegalArgumentException("run history cache must be at least 1 MiB, was " + cacheBytes + " bytes");
        }
    }

    /** A temporary store with the default window and cache. */
    public static RunHistorySettings ephemeral() {
        return new RunHistorySettings(Optional.empty(), DEFAULT_HOT_WINDOW, DEFAULT_CACHE_BYTES);
    }

    /** A store kept in {@code directory} across restarts, with the default window and cache. */
    public static RunHistorySettings in(final Path directory) {
        return new RunHistorySettings(Optional.of(directory), DEFAULT_HOT_WINDOW, DEFAULT_CACHE_BYTES);
    }

    public RunHistorySettings withHotWindow(final Duration window) {
        return new RunHistorySettings(directory, window, cacheBytes);
    }
}
