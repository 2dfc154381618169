package dev.arcturus.paths;

import dev.arcturus.avro.NetworkMetric;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What moved in path selection's global stores since the last tick (written by the global-store thread, read by the
 * processor): each changed link with its new metric, so the tick can update selections link by link; a counter for
 * node and origin changes, which need a full recompute; and one for CPU stats, which only touch last-mile splits.
 */
final class PathInputChanges {
    /** A changed link: its key ({@code <source>|<destination>}) and new metric, or null when it went away. */
    record LinkChange(String key, NetworkMetric metric) {
        String from() {
            return key.substring(0, key.indexOf('|'));
        }

        String to() {
            return key.substring(key.indexOf('|') + 1);
        }
    }

    final ConcurrentLinkedQueue<LinkChange> links = new ConcurrentLinkedQueue<>();
    final AtomicLong structure = new AtomicLong();
    final AtomicLong cpu = new AtomicLong();
}
