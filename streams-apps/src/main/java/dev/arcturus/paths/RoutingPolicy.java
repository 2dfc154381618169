package dev.arcturus.paths;

import java.util.Map;

/**
 * The routing policy: dynamic configuration, read from the plane's global config ({@code settings} keys
 * {@code routing.k}, {@code routing.hopThreshold}, {@code routing.hopPenalty}) and applied without a restart.
 */
public record RoutingPolicy(int k, int hopThreshold, double hopPenalty) {
    public static final String K = "routing.k";
    public static final String HOP_THRESHOLD = "routing.hopThreshold";
    public static final String HOP_PENALTY = "routing.hopPenalty";
    /** Scores can go negative through the virtual-queue terms; shortest paths need positive weights. */
    public static final double SCORE_FLOOR = 0.01;

    public RoutingPolicy {
        if (k < 1 || k > 10 || hopThreshold < 0 || hopPenalty < 0) {
            throw new IllegalArgumentException("routing policy needs 1 <= k <= 10, hopThreshold >= 0, hopPenalty >= 0");
        }
    }

    /** The reference's values: k = 2, threshold 3 hops, θ = 2. */
    public static RoutingPolicy defaults() {
        return new RoutingPolicy(2, 3, 2);
    }

    /** The policy the settings describe; a missing or malformed value keeps the current one. */
    public RoutingPolicy with(final Map<String, String> settings) {
        try {
            return new RoutingPolicy(
                    Integer.parseInt(settings.getOrDefault(K, Integer.toString(k))),
                    Integer.parseInt(settings.getOrDefault(HOP_THRESHOLD, Integer.toString(hopThreshold))),
                    Double.parseDouble(settings.getOrDefault(HOP_PENALTY, Double.toString(hopPenalty))));
        } catch (final IllegalArgumentException e) {
            return this;
        }
    }
}
