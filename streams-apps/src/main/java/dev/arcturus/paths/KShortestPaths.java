package dev.arcturus.paths;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The k best loop-free paths between two nodes (Yen's algorithm), under the reference's cost: the sum of link scores
 * plus a hop penalty θ for every hop beyond a threshold (reference: k = 2, threshold 3, θ = 2).
 *
 * <p>The seed penalised only Yen's candidate paths, not the first, so its ranking mixed two cost functions; here
 * every path is ranked by the same cost. Because the penalty depends on hop count, shortest paths are searched over
 * (node, hops so far, capped at the threshold) states; a spur search blocks every state of the root path's nodes, so
 * all paths stay loop-free. Link scores must be positive (callers clamp), which also keeps shortest paths simple.
 * The search itself is {@link YenSearch}, over the numbered {@link RoutingGraph}; this class is its by-name face.
 */
public final class KShortestPaths {
    /** A directed link and its score. */
    public record Link(String to, double score) {
    }

    /** A path (node ids, source first) with its cost and its plain score sum. */
    public record Path(List<String> nodes, double cost, double scoreSum) {
        public int hops() {
            return nodes.size() - 1;
        }
    }

    private final Map<String, List<Link>> links;
    private final RoutingGraph graph;
    private final int hopThreshold;
    private final double hopPenalty;

    public KShortestPaths(final Map<String, List<Link>> graph, final int hopThreshold, final double hopPenalty) {
        for (final List<Link> out : graph.values()) {
            for (final Link link : out) {
                if (!(link.score() > 0)) {
                    throw new IllegalArgumentException("link scores must be positive, got " + link);
                }
            }
        }
        this.links = graph;
        this.graph = RoutingGraph.of(graph);
        this.hopThreshold = hopThreshold;
        this.hopPenalty = hopPenalty;
    }

    /** The cost of a path under this instance's rule (score sum plus hop penalty). */
    public double cost(final List<String> nodes) {
        double sum = 0;
        for (int i = 0; i + 1 < nodes.size(); i++) {
            sum += score(nodes.get(i), nodes.get(i + 1));
        }
        return sum + hopPenalty * Math.max(0, nodes.size() - 1 - hopThreshold);
    }

    public List<Path> best(final String source, final String target, final int k) {
        final int from = graph.find(source);
        final int to = graph.find(target);
        if (from < 0 || to < 0) {
            return new ArrayList<>();
        }
        final YenSearch search = new YenSearch(graph, hopThreshold, hopPenalty);
        final List<Path> found = new ArrayList<>();
        for (final YenSearch.Found path : search.best(from, to, k,
                graph.costsTo(to, null, 0, hopThreshold, hopPenalty))) {
            final List<String> nodes = new ArrayList<>(path.nodes().length);
            for (final int node : path.nodes()) {
                nodes.add(graph.name(node));
            }
            found.add(new Path(List.copyOf(nodes), path.cost(), path.scoreSum()));
        }
        return found;
    }

    private double score(final String from, final String to) {
        for (final Link link : links.getOrDefault(from, List.of())) {
            if (link.to().equals(to)) {
                return link.score();
            }
        }
        throw new IllegalArgumentException("no link " + from + " -> " + to);
    }
}
