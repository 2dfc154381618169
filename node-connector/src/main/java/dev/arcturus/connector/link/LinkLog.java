package dev.arcturus.connector.link;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * One log line per change of a link's state, never one per retry: "lost" when the first attempt fails, "restored"
 * (with how long it was down and how many attempts it took) when one succeeds again.
 */
public final class LinkLog {
    private final Logger log;
    private final String what;
    private Instant downSince;
    private int failures;

    public LinkLog(final Logger log, final String what) {
        this.log = log;
        this.what = what;
    }

    /** An attempt failed; logs only if the link was up. */
    public synchronized void failed(final Throwable cause) {
        failures++;
        if (downSince == null) {
            downSince = Instant.now();
            log.warn("{}: plane unreachable ({}); retrying with backoff", what, cause.toString());
        }
    }

    /** An attempt succeeded; logs only if the link was down. Returns how long it was down (zero if it was up). */
    public synchronized Duration succeeded() {
        if (downSince == null) {
            return Duration.ZERO;
        }
        final Duration down = Duration.between(downSince, Instant.now());
        log.info("{}: plane reachable again after {} s ({} failed attempts)", what, down.toMillis() / 1000.0, failures);
        downSince = null;
        failures = 0;
        return down;
    }

    public synchronized boolean down() {
        return downSince != null;
    }
}
