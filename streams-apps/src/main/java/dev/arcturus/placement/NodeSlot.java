package dev.arcturus.placement;

import java.util.Set;

/**
 * A node as placement sees it.
 *
 * @param health   HEALTHY nodes take work and count towards imbalance; HOLD nodes (suspect, not yet heard from) keep
 *                 their jobs but take none; GONE nodes (DOWN after liveness' grace, or deregistered) are evacuated
 * @param why      for GONE: the reason an evacuation names, e.g. "node n-3 DOWN"
 * @param capacity relative capacity (load = work / capacity); from the node tag {@code capacity=<n>}, default 1
 */
public record NodeSlot(String id, String region, Set<String> tags, double capacity, Health health, String why) {
    public enum Health { HEALTHY, HOLD, GONE }

    public NodeSlot {
        if (!(capacity > 0)) {
            throw new IllegalArgumentException("capacity of " + id + ": must be positive, was " + capacity);
        }
    }
}
