package dev.arcturus.paths;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Yen's k best loop-free paths on a {@link RoutingGraph}, under the reference's cost (score sum plus the hop penalty
 * for every hop beyond the threshold), searched over (node, hops capped at the threshold) states as
 * {@link KShortestPaths} explains.
 *
 * <p>Each shortest-path search is A* steered by the least cost still to go from each (node, hops) state on the
 * unblocked graph, which the caller computes once per target ({@link RoutingGraph#costsTo}) and shares across every
 * source. It is exact for the first path, and a spur search's blocked nodes and links only lengthen paths, so it stays
 * a lower bound: a search settles little more than the path it returns instead of the whole graph. Scratch arrays
 * are reused between searches (epoch-stamped, never cleared), so one instance serves one thread.
 *
 * <p>An optional overlay adds two virtual nodes — a source linked to a set of nodes and a sink linked from another
 * set — for region-to-region searches, without copying the graph.
 */
final class YenSearch {
    /** A path as node numbers, source first, with its cost and plain score sum. */
    record Found(int[] nodes, double cost, double scoreSum) {
    }

    private final RoutingGraph graph;
    private final int threshold;
    private final double penalty;
    private final int realNodes;
    private final int layers;
    private final double[] costSoFar;
    private final int[] parent;
    private final int[] seen;
    private final int[] blocked;
    private final RoutingGraph.NodeHeap heap;
    private int epoch;
    private int blockEpoch;
    private long[] blockedLinks = new long[4];
    private int blockedLinkCount;
    private final boolean[] notRelay;
    private int[] sourceMembers = new int[0];
    private boolean[] sinkMember;
    private double virtualScore;

    YenSearch(final RoutingGraph graph, final int threshold, final double penalty) {
        this.graph = graph;
        this.threshold = threshold;
        this.penalty = penalty;
        this.realNodes = graph.size();
        this.layers = threshold + 1;
        final int states = (realNodes + 2) * layers;
        this.costSoFar = new double[states];
        this.parent = new int[states];
        this.seen = new int[states];
        this.blocked = new int[realNodes + 2];
        this.notRelay = new boolean[realNodes + 2];
        this.heap = new RoutingGraph.NodeHeap(1024);
    }

    int virtualSource() {
        return realNodes;
    }

    int virtualSink() {
        return realNodes + 1;
    }

    /** A node paths may start or end at but not pass through (a controller or measurement node). */
    void noRelay(final int node) {
        notRelay[node] = true;
    }

    /** Links the virtual source to {@code sources} and every node in {@code sinks} to the virtual sink. */
    void overlay(final int[] sources, final boolean[] sinks, final double score) {
        this.sourceMembers = sources;
        this.sinkMember = sinks;
        this.virtualScore = score;
    }

    /**
     * The k best paths from source to target. {@code bound[state]} is a lower bound on the cost from that (node,
     * hops) state to the target (+∞: it cannot reach it), as {@link RoutingGraph#costsTo} computes it for this
     * threshold and penalty; states beyond the array (the virtual nodes') count as 0.
     */
    List<Found> best(final int source, final int target, final int k, final double[] bound) {
        final List<Found> found = new ArrayList<>();
        if (k < 1) {
            return found;
        }
        blockEpoch++;
        blockedLinkCount = 0;
        final int[] first = shortest(source, target, 0, bound);
        if (first == null) {
            return found;
        }
        found.add(withCost(first));
        final PriorityQueue<Found> candidates = new PriorityQueue<>((a, b) -> Double.compare(a.cost(), b.cost()));
        final Set<IntPath> known = new HashSet<>();
        known.add(new IntPath(first));
        while (found.size() < k) {
            final int[] previous = found.get(found.size() - 1).nodes();
            for (int i = 0; i < previous.length - 1; i++) {
                blockEpoch++;
                for (int r = 0; r < i; r++) {
                    blocked[previous[r]] = blockEpoch;
                }
                blockedLinkCount = 0;
                for (final Found path : found) {
                    if (path.nodes().length > i + 1 && samePrefix(path.nodes(), previous, i + 1)) {
                        blockLink(path.nodes()[i], path.nodes()[i + 1]);
                    }
                }
                final int[] spur = shortest(previous[i], target, i, bound);
                if (spur != null) {
                    final int[] whole = new int[i + spur.length];
                    System.arraycopy(previous, 0, whole, 0, i);
                    System.arraycopy(spur, 0, whole, i, spur.length);
                    if (known.add(new IntPath(whole))) {
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

    /** The cost of a path: score sum plus the penalty for every hop beyond the threshold. */
    double cost(final int[] nodes) {
        return scoreSum(nodes) + penalty * Math.max(0, nodes.length - 1 - threshold);
    }

    private double scoreSum(final int[] nodes) {
        double sum = 0;
        for (int i = 0; i + 1 < nodes.length; i++) {
            sum += score(nodes[i], nodes[i + 1]);
        }
        return sum;
    }

    private Found withCost(final int[] nodes) {
        final double sum = scoreSum(nodes);
        return new Found(nodes, sum + penalty * Math.max(0, nodes.length - 1 - threshold), sum);
    }

    private double score(final int u, final int v) {
        if (u == virtualSource() || v == virtualSink()) {
            return virtualScore;
        }
        return graph.score(u, v);
    }

    /** A* over (node, layer) states from {@code source}, which already has {@code startHops} hops behind it. */
    private int[] shortest(final int source, final int target, final int startHops, final double[] bound) {
        epoch++;
        heap.clear();
        final int start = source * layers + Math.min(startHops, threshold);
        costSoFar[start] = 0;
        parent[start] = -1;
        seen[start] = epoch;
        heap.push(bound(bound, start), start);
        while (!heap.isEmpty()) {
            final double key = heap.peekKey();
            final int state = heap.pop();
            final int u = state / layers;
            final double at = costSoFar[state];
            if (key > at + bound(bound, state)) {
                continue; // a stale entry: this state was reached more cheaply since
            }
            if (u == target) {
                return pathTo(state);
            }
            final int layer = state % layers;
            final double extra = layer >= threshold ? penalty : 0;
            final int nextLayer = Math.min(layer + 1, threshold);
            final boolean startsHere = state == start
                    || (parent[state] >= 0 && parent[state] / layers == virtualSource());
            if (notRelay[u] && !startsHere) {
                // Paths start or end at a node that does not relay, never pass through it: a region pair's may
                // only go on to its virtual sink.
                if (sinkMember != null && sinkMember[u]) {
                    relax(state, at, u, virtualSink(), virtualScore + extra, nextLayer, bound);
                }
                continue;
            }
            if (u == virtualSource()) {
                for (final int v : sourceMembers) {
                    relax(state, at, u, v, virtualScore + extra, nextLayer, bound);
                }
                continue;
            }
            if (u >= realNodes) {
                continue; // the virtual sink has no links out
            }
            final int[] to = graph.targets(u);
            final double[] score = graph.scores(u);
            for (int i = 0; i < to.length; i++) {
                relax(state, at, u, to[i], score[i] + extra, nextLayer, bound);
            }
            if (sinkMember != null && sinkMember[u]) {
                relax(state, at, u, virtualSink(), virtualScore + extra, nextLayer, bound);
            }
        }
        return null;
    }

    private void relax(final int from, final double at, final int u, final int v, final double step,
                       final int layer, final double[] bound) {
        if (blocked[v] == blockEpoch || isBlockedLink(u, v)) {
            return;
        }
        final int next = v * layers + layer;
        final double rest = bound(bound, next);
        if (rest == Double.POSITIVE_INFINITY) {
            return; // cannot reach the target from there
        }
        final double cost = at + step;
        if (seen[next] != epoch || cost < costSoFar[next]) {
            seen[next] = epoch;
            costSoFar[next] = cost;
            parent[next] = from;
            heap.push(cost + rest, next);
        }
    }

    private static double bound(final double[] bound, final int state) {
        return state < bound.length ? bound[state] : 0;
    }

    private int[] pathTo(final int state) {
        int length = 0;
        for (int s = state; s != -1; s = parent[s]) {
            length++;
        }
        final int[] nodes = new int[length];
        int i = length;
        for (int s = state; s != -1; s = parent[s]) {
            nodes[--i] = s / layers;
        }
        return nodes;
    }

    private void blockLink(final int u, final int v) {
        if (blockedLinkCount == blockedLinks.length) {
            blockedLinks = Arrays.copyOf(blockedLinks, blockedLinkCount * 2);
        }
        blockedLinks[blockedLinkCount++] = ((long) u << 32) | (v & 0xffffffffL);
    }

    private boolean isBlockedLink(final int u, final int v) {
        if (blockedLinkCount == 0) {
            return false;
        }
        final long link = ((long) u << 32) | (v & 0xffffffffL);
        for (int i = 0; i < blockedLinkCount; i++) {
            if (blockedLinks[i] == link) {
                return true;
            }
        }
        return false;
    }

    private static boolean samePrefix(final int[] a, final int[] b, final int length) {
        for (int i = 0; i < length; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    /** A path as a set member (arrays compare by identity). */
    private record IntPath(int[] nodes) {
        @Override
        public boolean equals(final Object other) {
            return other instanceof IntPath that && Arrays.equals(nodes, that.nodes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(nodes);
        }

        @Override
        public String toString() {
            return Arrays.toString(nodes);
        }
    }
}
