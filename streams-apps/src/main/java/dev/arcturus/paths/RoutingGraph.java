package dev.arcturus.paths;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routing graph with nodes numbered, so searches run over arrays instead of hash maps of strings (the difference
 * between minutes and seconds for a full computation on a 1,000-node mesh). A node keeps its number for the graph's
 * life; a changed node's links replace its row, which is all one probe changes.
 */
final class RoutingGraph {
    private static final int[] NO_TARGETS = new int[0];
    private static final double[] NO_SCORES = new double[0];

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private int[][] targets = new int[16][];
    private double[][] scores = new double[16][];
    private long version;
    private long reverseVersion = -1;
    private int[][] reverseSources;
    private double[][] reverseScores;

    static RoutingGraph of(final Map<String, List<KShortestPaths.Link>> links) {
        final RoutingGraph graph = new RoutingGraph();
        links.keySet().stream().sorted().forEach(from -> graph.setLinks(from, links.get(from)));
        return graph;
    }

    /** The node's number, numbering it if new. */
    int id(final String name) {
        final Integer known = ids.get(name);
        if (known != null) {
            return known;
        }
        final int id = names.size();
        ids.put(name, id);
        names.add(name);
        if (id == targets.length) {
            targets = Arrays.copyOf(targets, id * 2);
            scores = Arrays.copyOf(scores, id * 2);
        }
        targets[id] = NO_TARGETS;
        scores[id] = NO_SCORES;
        version++;
        return id;
    }

    /** The node's number, or -1 if the graph has never seen it. */
    int find(final String name) {
        final Integer known = ids.get(name);
        return known == null ? -1 : known;
    }

    String name(final int id) {
        return names.get(id);
    }

    int size() {
        return names.size();
    }

    /** Replaces a node's outgoing links. */
    void setLinks(final String from, final List<KShortestPaths.Link> links) {
        final int u = id(from);
        final int[] to = new int[links.size()];
        final double[] score = new double[links.size()];
        for (int i = 0; i < to.length; i++) {
            to[i] = id(links.get(i).to());
            score[i] = links.get(i).score();
        }
        targets[u] = to;
        scores[u] = score;
        version++;
    }

    int[] targets(final int u) {
        return targets[u];
    }

    double[] scores(final int u) {
        return scores[u];
    }

    /** The score of the link u→v, or +∞ when there is none. */
    double score(final int u, final int v) {
        final int[] to = targets[u];
        for (int i = 0; i < to.length; i++) {
            if (to[i] == v) {
                return scores[u][i];
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** Changes whenever a row or a node is added or replaced: what cached distances are checked against. */
    long version() {
        return version;
    }

    /** Shortest score distances from one node to every node (+∞ where unreachable). */
    double[] distancesFrom(final int source) {
        final double[] dist = unreached();
        dist[source] = 0;
        return settle(dist, targets, scores, 0);
    }

    /**
     * Shortest score distances from every node to the nearest of {@code sinks}, each sink starting at its own
     * offset; the lower bound A* steers by (a hop penalty only adds to a path's cost). Array length: {@code size()}.
     */
    double[] distancesTo(final int[] sinks, final double offset) {
        reverse();
        final double[] dist = unreached();
        for (final int sink : sinks) {
            dist[sink] = offset;
        }
        return settle(dist, reverseSources, reverseScores, 0);
    }

    private double[] unreached() {
        final double[] dist = new double[size()];
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        return dist;
    }

    /**
     * Dijkstra from every node already given a finite distance, over {@code next}/{@code weight} (the links, or the
     * links reversed), each link costing its score plus {@code extra}.
     */
    private static double[] settle(final double[] dist, final int[][] next, final double[][] weight,
                                   final double extra) {
        final NodeHeap heap = new NodeHeap(dist.length);
        for (int v = 0; v < dist.length; v++) {
            if (dist[v] < Double.POSITIVE_INFINITY) {
                heap.push(dist[v], v);
            }
        }
        while (!heap.isEmpty()) {
            final double d = heap.peekKey();
            final int u = heap.pop();
            if (d > dist[u]) {
                continue;
            }
            final int[] to = next[u];
            final double[] score = weight[u];
            for (int i = 0; i < to.length; i++) {
                final double candidate = d + score[i] + extra;
                if (candidate < dist[to[i]]) {
                    dist[to[i]] = candidate;
                    heap.push(candidate, to[i]);
                }
            }
        }
        return dist;
    }

    /**
     * The least cost still to go from every (node, hops so far) state to the target, hop penalty included, on the
     * whole graph: the bound {@link YenSearch} steers by, exact for a first path and a lower bound once a spur
     * search blocks nodes. Index: {@code node * (threshold + 1) + min(hops, threshold)}. The target is {@code target}
     * itself, or (with {@code target < 0}) a virtual node reached from each of {@code sinks} by a link of
     * {@code sinkScore}. Beyond the threshold every hop pays the penalty, so that layer is one reverse Dijkstra with
     * the penalty on every link; each layer below it is one pass over the links into the layer above.
     */
    double[] costsTo(final int target, final int[] sinks, final double sinkScore, final int threshold,
                     final double penalty) {
        reverse();
        final int n = size();
        final int layers = threshold + 1;
        final double[] above = unreached();
        if (target >= 0) {
            above[target] = 0;
        } else {
            for (final int sink : sinks) {
                above[sink] = sinkScore + penalty;
            }
        }
        settle(above, reverseSources, reverseScores, penalty);
        final double[] costs = new double[n * layers];
        for (int v = 0; v < n; v++) {
            costs[v * layers + threshold] = above[v];
        }
        for (int layer = threshold - 1; layer >= 0; layer--) {
            for (int v = 0; v < n; v++) {
                double best = Double.POSITIVE_INFINITY;
                if (v == target) {
                    best = 0;
                }
                final int[] to = targets[v];
                final double[] score = scores[v];
                for (int i = 0; i < to.length; i++) {
                    best = Math.min(best, score[i] + costs[to[i] * layers + layer + 1]);
                }
                costs[v * layers + layer] = best;
            }
            if (target < 0) {
                for (final int sink : sinks) {
                    costs[sink * layers + layer] = Math.min(costs[sink * layers + layer], sinkScore);
                }
            }
        }
        return costs;
    }

    private void reverse() {
        if (reverseVersion == version) {
            return;
        }
        final int n = size();
        final int[] inDegree = new int[n];
        for (int u = 0; u < n; u++) {
            for (final int v : targets[u]) {
                inDegree[v]++;
            }
        }
        reverseSources = new int[n][];
        reverseScores = new double[n][];
        for (int v = 0; v < n; v++) {
            reverseSources[v] = new int[inDegree[v]];
            reverseScores[v] = new double[inDegree[v]];
        }
        final int[] filled = new int[n];
        for (int u = 0; u < n; u++) {
            final int[] to = targets[u];
            for (int i = 0; i < to.length; i++) {
                final int v = to[i];
                reverseSources[v][filled[v]] = u;
                reverseScores[v][filled[v]++] = scores[u][i];
            }
        }
        reverseVersion = version;
    }

    /** A binary min-heap of (key, node) with lazy deletion: stale entries are skipped by the caller. */
    static final class NodeHeap {
        private double[] keys;
        private int[] values;
        private int size;

        NodeHeap(final int capacity) {
            keys = new double[Math.max(16, capacity)];
            values = new int[keys.length];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void clear() {
            size = 0;
        }

        double peekKey() {
            return keys[0];
        }

        void push(final double key, final int value) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            int i = size++;
            while (i > 0) {
                final int parent = (i - 1) >>> 1;
                if (keys[parent] <= key) {
                    break;
                }
                keys[i] = keys[parent];
                values[i] = values[parent];
                i = parent;
            }
            keys[i] = key;
            values[i] = value;
        }

        int pop() {
            final int top = values[0];
            final double lastKey = keys[--size];
            final int lastValue = values[size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && keys[child + 1] < keys[child]) {
                    child++;
                }
                if (keys[child] >= lastKey) {
                    break;
                }
                keys[i] = keys[child];
                values[i] = values[child];
                i = child;
            }
            keys[i] = lastKey;
            values[i] = lastValue;
            return top;
        }
    }
}
