package dev.arcturus.paths;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Multipath by the reference's constrained max-flow heuristic (seed 000's offline MFPC + Carousel Greedy, wired into
 * the runtime here): find loop-free paths from a source to a target that together carry the most flow, where
 * <ul>
 *   <li>no edge carries more than {@code θ_A} of its capacity (the seed only checked before entering an edge, so a
 *       path could then fill it to 100 %, and ignored θ_A altogether in its carousel phase);</li>
 *   <li>no path's latency exceeds {@code θ_L};</li>
 *   <li>no edge is shared by more than {@code maxEdgeUsage} paths.</li>
 * </ul>
 * Greedy: repeatedly take the first feasible path of a depth-first search that tries the widest residual edge first,
 * and push its bottleneck. Carousel (α, β): drop the newest β paths, then α·|S₀| times remove the oldest path, ban
 * its first edge for the next search, refill greedily, and keep the best set seen. Every tie breaks by node id, so
 * the result is deterministic (the seed's depended on Go map order), and no reverse arcs are used (the seed's created
 * phantom edges).
 */
public final class CarouselGreedy {
    /** A directed edge with its capacity and latency. */
    public record Edge(String from, String to, double capacity, double latency) {
    }

    /** One path of the result and the flow it carries. */
    public record FlowPath(List<String> nodes, double flow, double latency) {
    }

    /** The constraints and the carousel's parameters (reference: θ_A 0.8, edge usage 2, α 2, β 2). */
    public record Limits(double thetaA, double thetaL, int maxEdgeUsage, int alpha, int beta, int maxHops) {
        public static Limits defaults(final double thetaL) {
            return new Limits(0.8, thetaL, 2, 2, 2, 8);
        }
    }

    private static final double EPSILON = 1e-9;
    private static final int MAX_EXPANSIONS = 200_000;

    private final Map<String, List<Edge>> out = new HashMap<>();
    private final Limits limits;

    public CarouselGreedy(final List<Edge> edges, final Limits limits) {
        this.limits = limits;
        for (final Edge edge : edges) {
            if (edge.capacity() > 0 && edge.latency() >= 0) {
                out.computeIfAbsent(edge.from(), k -> new ArrayList<>()).add(edge);
            }
        }
    }

    /** The carousel's best path set from {@code source} to {@code target} (empty when none is feasible). */
    public List<FlowPath> solve(final String source, final String target) {
        final State state = new State();
        state.fill(source, target, null);
        final List<FlowPath> initial = state.paths();
        List<FlowPath> best = initial;
        for (int i = 0; i < limits.beta() && !state.isEmpty(); i++) {
            state.removeNewest();
        }
        final int rounds = limits.alpha() * initial.size();
        for (int round = 0; round < rounds && !state.isEmpty(); round++) {
            final FlowPath oldest = state.removeOldest();
            state.fill(source, target, edgeKey(oldest.nodes().get(0), oldest.nodes().get(1)));
            if (total(state.paths()) > total(best) + EPSILON) {
                best = state.paths();
            }
        }
        return best;
    }

    /** Greedy alone (the carousel's starting point), for comparison. */
    public List<FlowPath> greedy(final String source, final String target) {
        final State state = new State();
        state.fill(source, target, null);
        return state.paths();
    }

    public static double total(final List<FlowPath> paths) {
        return paths.stream().mapToDouble(FlowPath::flow).sum();
    }

    private static String edgeKey(final String from, final String to) {
        return from + "\u0000" + to;
    }

    /** The paths chosen so far, in the order they were added, with the flow and usage they put on edges. */
    private final class State {
        private final Deque<FlowPath> paths = new ArrayDeque<>();
        private final Map<String, Double> flow = new HashMap<>();
        private final Map<String, Integer> usage = new HashMap<>();

        boolean isEmpty() {
            return paths.isEmpty();
        }

        List<FlowPath> paths() {
            return List.copyOf(paths);
        }

        FlowPath removeOldest() {
            final FlowPath path = paths.removeFirst();
            apply(path, -1);
            return path;
        }

        void removeNewest() {
            apply(paths.removeLast(), -1);
        }

        /** Adds greedy paths until none is feasible; {@code banned} is excluded from the first search only. */
        void fill(final String source, final String target, final String banned) {
            String ban = banned;
            while (true) {
                final List<Edge> path = search(source, target, ban);
                ban = null;
                if (path == null) {
                    return;
                }
                double bottleneck = Double.MAX_VALUE;
                double latency = 0;
                final List<String> nodes = new ArrayList<>();
                nodes.add(source);
                for (final Edge edge : path) {
                    bottleneck = Math.min(bottleneck, residual(edge));
                    latency += edge.latency();
                    nodes.add(edge.to());
                }
                final FlowPath chosen = new FlowPath(nodes, bottleneck, latency);
                paths.addLast(chosen);
                apply(chosen, +1);
            }
        }

        private void apply(final FlowPath path, final int sign) {
            for (int i = 0; i + 1 < path.nodes().size(); i++) {
                final String key = edgeKey(path.nodes().get(i), path.nodes().get(i + 1));
                flow.merge(key, sign * path.flow(), Double::sum);
                usage.merge(key, sign, Integer::sum);
            }
        }

        private double residual(final Edge edge) {
            return limits.thetaA() * edge.capacity() - flow.getOrDefault(edgeKey(edge.from(), edge.to()), 0.0);
        }

        private boolean usable(final Edge edge, final String banned) {
            final String key = edgeKey(edge.from(), edge.to());
            return !key.equals(banned) && residual(edge) > EPSILON
                    && usage.getOrDefault(key, 0) < limits.maxEdgeUsage();
        }

        /** Depth-first, widest residual first (ties: lower node id), loop-free, within θ_L and the hop bound. */
        private List<Edge> search(final String source, final String target, final String banned) {
            final Set<String> onPath = new LinkedHashSet<>();
            onPath.add(source);
            final int[] expansions = {0};
            return dfs(source, target, banned, onPath, new ArrayList<>(), 0, expansions);
        }

        private List<Edge> dfs(final String node, final String target, final String banned, final Set<String> onPath,
                               final List<Edge> path, final double latency, final int[] expansions) {
            if (node.equals(target)) {
                return new ArrayList<>(path);
            }
            if (path.size() >= limits.maxHops() || ++expansions[0] > MAX_EXPANSIONS) {
                return null;
            }
            final List<Edge> next = new ArrayList<>(out.getOrDefault(node, List.of()));
            next.sort(Comparator.comparingDouble((Edge e) -> -residual(e)).thenComparing(Edge::to));
            for (final Edge edge : next) {
                if (onPath.contains(edge.to()) || !usable(edge, banned)
                        || latency + edge.latency() > limits.thetaL() + EPSILON) {
                    continue;
                }
                onPath.add(edge.to());
                path.add(edge);
                final List<Edge> found = dfs(edge.to(), target, banned, onPath, path, latency + edge.latency(),
                        expansions);
                path.remove(path.size() - 1);
                onPath.remove(edge.to());
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
    }
}
