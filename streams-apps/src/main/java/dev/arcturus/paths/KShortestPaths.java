package dev.arcturus.paths;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The k best loop-free paths between two nodes (Yen's algorithm), under the reference's cost: the sum of link scores
 * plus a hop penalty θ for every hop beyond a threshold (reference: k = 2, threshold 3, θ = 2).
 *
 * <p>The seed penalised only Yen's candidate paths, not the first, so its ranking mixed two cost functions; here
 * every path is ranked by the same cost. Because the penalty depends on hop count, shortest paths are searched over
 * (node, hops so far, capped at the threshold) states; a spur search blocks every state of the root path's nodes, so
 * all paths stay loop-free. Link scores must be positive (callers clamp), which also keeps shortest paths simple.
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

    private final Map<String, List<Link>> graph;
    private final int hopThreshold;
    private final double hopPenalty;

    public KShortestPaths(final Map<String, List<Link>> graph, final int hopThreshold, final double hopPenalty) {
        this(graph, hopThreshold, hopPenalty, true);
    }

    /**
     * Without the positive-score check, for a graph whose scores are already floored (the incremental engine builds
     * one per changed selection, and checking a million links each time would cost more than the search). Only
     * {@code get}/{@code getOrDefault} of the graph are used, so it may be a view.
     */
    static KShortestPaths onFlooredGraph(final Map<String, List<Link>> graph, final int hopThreshold,
                                         final double hopPenalty) {
        return new KShortestPaths(graph, hopThreshold, hopPenalty, false);
    }

    private KShortestPaths(final Map<String, List<Link>> graph, final int hopThreshold, final double hopPenalty,
                           final boolean check) {
        if (check) {
            for (final List<Link> links : graph.values()) {
                for (final Link link : links) {
                    if (!(link.score() > 0)) {
                        throw new IllegalArgumentException("link scores must be positive, got " + link);
                    }
                }
            }
        }
        this.graph = graph;
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
        final List<Path> found = new ArrayList<>();
        final Path first = shortest(source, target, 0, Set.of(), Set.of());
        if (first == null || k < 1) {
            return found;
        }
        found.add(withCost(first.nodes()));
        final PriorityQueue<Path> candidates = new PriorityQueue<>((a, b) -> Double.compare(a.cost(), b.cost()));
        final Set<List<String>> seen = new HashSet<>();
        seen.add(first.nodes());
        while (found.size() < k) {
            final List<String> previous = found.get(found.size() - 1).nodes();
            for (int i = 0; i < previous.size() - 1; i++) {
                final List<String> root = previous.subList(0, i + 1);
                final Set<String> blockedLinks = new HashSet<>();
                for (final Path path : found) {
                    if (path.nodes().size() > i + 1 && path.nodes().subList(0, i + 1).equals(root)) {
                        blockedLinks.add(path.nodes().get(i) + "\u0000" + path.nodes().get(i + 1));
                    }
                }
                final Set<String> blockedNodes = new HashSet<>(root.subList(0, i));
                final Path spur = shortest(previous.get(i), target, i, blockedNodes, blockedLinks);
                if (spur != null) {
                    final List<String> whole = new ArrayList<>(root.subList(0, i));
                    whole.addAll(spur.nodes());
                    if (seen.add(whole)) {
                        candidates.add(withCost(whole));
                    }
                }
            }
            if (candidates.isEmpty()) {
                break;
            }
            found.add(candidates.poll());
        }
        return found;
    }

    private Path withCost(final List<String> nodes) {
        return new Path(List.copyOf(nodes), cost(nodes), cost(nodes) - hopPenalty * Math.max(0, nodes.size() - 1 - hopThreshold));
    }

    private double score(final String from, final String to) {
        for (final Link link : graph.getOrDefault(from, List.of())) {
            if (link.to().equals(to)) {
                return link.score();
            }
        }
        throw new IllegalArgumentException("no link " + from + " -> " + to);
    }

    /** Dijkstra over (node, min(hops, threshold)) states, starting with {@code startHops} hops already taken. */
    private Path shortest(final String source, final String target, final int startHops, final Set<String> blockedNodes,
                          final Set<String> blockedLinks) {
        record State(String node, int layer) {
        }
        record Entry(State state, double cost) {
        }
        final Map<State, Double> best = new HashMap<>();
        final Map<State, State> parent = new HashMap<>();
        final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> Double.compare(a.cost(), b.cost()));
        final State start = new State(source, Math.min(startHops, hopThreshold));
        best.put(start, 0.0);
        queue.add(new Entry(start, 0));
        while (!queue.isEmpty()) {
            final Entry entry = queue.poll();
            final State state = entry.state();
            if (entry.cost() > best.get(state)) {
                continue;
            }
            if (state.node().equals(target)) {
                final List<String> nodes = new ArrayList<>();
                for (State s = state; s != null; s = parent.get(s)) {
                    nodes.add(s.node());
                }
                Collections.reverse(nodes);
                return new Path(nodes, entry.cost(), entry.cost());
            }
            for (final Link link : graph.getOrDefault(state.node(), List.of())) {
                if (blockedNodes.contains(link.to()) || blockedLinks.contains(state.node() + "\u0000" + link.to())) {
                    continue;
                }
                final double step = link.score() + (state.layer() >= hopThreshold ? hopPenalty : 0);
                final State next = new State(link.to(), Math.min(state.layer() + 1, hopThreshold));
                final double cost = entry.cost() + step;
                if (cost < best.getOrDefault(next, Double.POSITIVE_INFINITY)) {
                    best.put(next, cost);
                    parent.put(next, state);
                    queue.add(new Entry(next, cost));
                }
            }
        }
        return null;
    }
}
