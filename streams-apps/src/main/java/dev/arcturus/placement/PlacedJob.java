package dev.arcturus.placement;

import dev.arcturus.avro.NodeSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * A job as placement sees it: its weight (the fraction of a node's time its runs occupy) on each of its nodes.
 * Only selector jobs with no action in flight and an up-to-date view are {@code movable}; pinned jobs still weigh on
 * their node. A job {@code cooling} down after a move is not moved to balance, but still leaves a dead node.
 */
public final class PlacedJob {
    private final String id;
    private final long version;
    private final double weight;
    private final List<String> nodes;
    private final NodeSelector selector;
    private final boolean movable;
    private final boolean cooling;

    public PlacedJob(final String id, final long version, final double weight, final List<String> nodes,
                     final NodeSelector selector, final boolean movable) {
        this(id, version, weight, nodes, selector, movable, false);
    }

    public PlacedJob(final String id, final long version, final double weight, final List<String> nodes,
                     final NodeSelector selector, final boolean movable, final boolean cooling) {
        this.id = id;
        this.version = version;
        this.weight = weight;
        this.nodes = new ArrayList<>(nodes);
        this.selector = selector;
        this.movable = movable && selector != null;
        this.cooling = cooling;
    }

    /** Movable and not cooling down: a candidate for balancing. */
    public boolean balanceable() {
        return movable && !cooling;
    }

    public String id() {
        return id;
    }

    public long version() {
        return version;
    }

    public double weight() {
        return weight;
    }

    /** The job's current nodes (placement's simulation updates them as it plans). */
    public List<String> nodes() {
        return nodes;
    }

    public NodeSelector selector() {
        return selector;
    }

    public boolean movable() {
        return movable;
    }

    void replace(final String from, final String to) {
        nodes.set(nodes.indexOf(from), to);
    }
}
