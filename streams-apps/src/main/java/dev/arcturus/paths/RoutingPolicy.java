package dev.arcturus.paths;

import java.util.Map;

/**
 * The routing policy: dynamic configuration, read from the plane's global config ({@code settings} keys
 * {@code routing.k}, {@code routing.hopThreshold}, {@code routing.hopPenalty}, {@code routing.lastMileRequests}
 * (requests split per last-mile round) and {@code routing.redistribution} (the share moved off the worst node per
 * step), {@code routing.algorithm} ({@code ksp}, or {@code carousel} for a multipath split as well) with its
 * {@code routing.thetaA} (utilisation cap), {@code routing.thetaL} (latency bound, ms) and {@code routing.maxEdgeUsage}
 * (paths per edge), and {@code routing.maxLinksPerNode} (each node's best links to other nodes that routing
 * considers, the seed's KNN compression of a full mesh; 0 = all)) and applied without a restart.
 */
public record RoutingPolicy(int k, int hopThreshold, double hopPenalty, int lastMileRequests, double redistribution,
                            String algorithm, double thetaA, double thetaL, int maxEdgeUsage, int maxLinksPerNode) {
    public static final String K = "routing.k";
    public static final String HOP_THRESHOLD = "routing.hopThreshold";
    public static final String HOP_PENALTY = "routing.hopPenalty";
    public static final String LAST_MILE_REQUESTS = "routing.lastMileRequests";
    public static final String REDISTRIBUTION = "routing.redistribution";
    public static final String ALGORITHM = "routing.algorithm";
    public static final String THETA_A = "routing.thetaA";
    public static final String THETA_L = "routing.thetaL";
    public static final String MAX_EDGE_USAGE = "routing.maxEdgeUsage";
    public static final String MAX_LINKS_PER_NODE = "routing.maxLinksPerNode";
    public static final String KSP = "ksp";
    public static final String CAROUSEL = "carousel";
    /** Scores can go negative through the virtual-queue terms; shortest paths need positive weights. */
    public static final double SCORE_FLOOR = 0.01;

    public RoutingPolicy {
        if (k < 1 || k > 10 || hopThreshold < 0 || hopPenalty < 0) {
            throw new IllegalArgumentException("routing policy needs 1 <= k <= 10, hopThreshold >= 0, hopPenalty >= 0");
        }
        if (lastMileRequests < 1 || lastMileRequests > 1_000_000 || !(redistribution >= 0 && redistribution <= 1)) {
            throw new IllegalArgumentException("routing policy needs 1 <= lastMileRequests <= 1000000 and "
                    + "0 <= redistribution <= 1");
        }
        if (!KSP.equals(algorithm) && !CAROUSEL.equals(algorithm) || !(thetaA > 0 && thetaA <= 1) || !(thetaL > 0)
                || maxEdgeUsage < 1 || maxLinksPerNode < 0) {
            throw new IllegalArgumentException("routing policy needs algorithm ksp or carousel, 0 < thetaA <= 1, "
                    + "thetaL > 0, maxEdgeUsage >= 1 and maxLinksPerNode >= 0");
        }
    }

    /**
     * The reference's values: k = 2, threshold 3 hops, θ = 2; last mile: 100 requests a round, p = 0.5; carousel
     * θ_A = 0.8, 2 paths per edge, and θ_L = 200 ms (the reference's 20 was in its input's units); routing over each
     * node's 16 best links to other nodes.
     */
    public static RoutingPolicy defaults() {
        return new RoutingPolicy(2, 3, 2, 100, 0.5, KSP, 0.8, 200, 2, 16);
    }

    /** The policy the settings describe; a missing or malformed value keeps the current one. */
    public RoutingPolicy with(final Map<String, String> settings) {
        try {
            return new RoutingPolicy(
                    Integer.parseInt(settings.getOrDefault(K, Integer.toString(k))),
                    Integer.parseInt(settings.getOrDefault(HOP_THRESHOLD, Integer.toString(hopThreshold))),
                    Double.parseDouble(settings.getOrDefault(HOP_PENALTY, Double.toString(hopPenalty))),
                    Integer.parseInt(settings.getOrDefault(LAST_MILE_REQUESTS, Integer.toString(lastMileRequests))),
                    Double.parseDouble(settings.getOrDefault(REDISTRIBUTION, Double.toString(redistribution))),
                    settings.getOrDefault(ALGORITHM, algorithm),
                    Double.parseDouble(settings.getOrDefault(THETA_A, Double.toString(thetaA))),
                    Double.parseDouble(settings.getOrDefault(THETA_L, Double.toString(thetaL))),
                    Integer.parseInt(settings.getOrDefault(MAX_EDGE_USAGE, Integer.toString(maxEdgeUsage))),
                    Integer.parseInt(settings.getOrDefault(MAX_LINKS_PER_NODE, Integer.toString(maxLinksPerNode))));
        } catch (final IllegalArgumentException e) {
            return this;
        }
    }
}
