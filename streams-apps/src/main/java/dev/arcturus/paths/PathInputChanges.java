package dev.arcturus.paths;

import dev.arcturus.avro.NetworkMetric;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What moved in path selection's global stores since the last tick (written by the global-store thread, read by the
 * processor): each changed link with its new metric, so the tick can update selections link by link; each changed
 * domain origin, which touches only that domain's selections; a counter for node changes that matter to routing,
 * which need a full recompute; and one for CPU stats, which only touch last-mile splits.
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
    /** Domains whose origin was set, moved or deleted. */
    final ConcurrentLinkedQueue<String> origins = new ConcurrentLinkedQueue<>();
    final AtomicLong structure = new AtomicLong();
    /** What routing knows of each node — its region and whether it relays — to tell a change that matters. */
    private final java.util.Map<String, String> routingFacts = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicLong cpu = new AtomicLong();

    /**
     * A registration changed: only a node added or removed, or one whose region or relaying changed, needs a full
     * recompute. The rest of a registration (description, tags, scavenger mode, which LEOScope nodes toggle often)
     * does not touch paths.
     */
    void nodeChanged(final String nodeId, final dev.arcturus.avro.NodeRegistration node) {
        final String facts = node == null ? null
                : node.getRegion() + "|" + PathSelectionProcessor.relays(node.getRole());
        final String before = facts == null ? routingFacts.remove(nodeId) : routingFacts.put(nodeId, facts);
        if (!java.util.Objects.equals(before, facts)) {
            structure.incrementAndGet();
        }
    }
}
