package dev.arcturus.paths;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.paths.CarouselGreedy.Edge;
import dev.arcturus.paths.CarouselGreedy.FlowPath;
import dev.arcturus.paths.CarouselGreedy.Limits;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CarouselGreedyTest {
    @Test
    void disjointPathsAreAllUsedUpToTheUtilisationCap() {
        final List<FlowPath> paths = new CarouselGreedy(List.of(
                new Edge("s", "a", 10, 1), new Edge("a", "t", 10, 1),
                new Edge("s", "b", 5, 1), new Edge("b", "t", 5, 1)), Limits.defaults(100)).solve("s", "t");
        assertThat(paths).extracting(FlowPath::nodes).containsExactly(List.of("s", "a", "t"), List.of("s", "b", "t"));
        assertThat(CarouselGreedy.total(paths)).isEqualTo(12.0); // 0.8 x (10 + 5): never above θ_A
    }

    @Test
    void theLatencyBoundAndTheEdgeSharingLimitHold() {
        final List<Edge> edges = List.of(new Edge("s", "a", 100, 1), new Edge("a", "t", 1, 1),
                new Edge("a", "b", 100, 1), new Edge("b", "t", 1, 1), new Edge("a", "c", 100, 1),
                new Edge("c", "t", 1, 1), new Edge("s", "slow", 100, 50), new Edge("slow", "t", 100, 50));
        final List<FlowPath> paths = new CarouselGreedy(edges, new Limits(0.8, 20, 2, 2, 2, 8)).solve("s", "t");
        assertThat(paths).allSatisfy(p -> assertThat(p.latency()).isLessThanOrEqualTo(20));
        assertThat(paths).as("s->a may carry at most 2 paths").hasSize(2);
    }

    /**
     * On 300 random graphs: the constraints hold, the paths are loop-free, the carousel never does worse than its
     * greedy start, and no solution beats the max flow of the θ_A-scaled capacities (an exact upper bound).
     */
    @Test
    void randomGraphsKeepEveryConstraintAndStayWithinTheMaxFlowBound() {
        final Random random = new Random(11);
        for (int round = 0; round < 300; round++) {
            final int trial = round;
            final int n = 4 + random.nextInt(5);
            final List<Edge> edges = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (i != j && random.nextDouble() < 0.4) {
                        edges.add(new Edge("n" + i, "n" + j, 1 + random.nextInt(20), 1 + random.nextInt(10)));
                    }
                }
            }
            final Limits limits = new Limits(0.8, 10 + random.nextInt(30), 1 + random.nextInt(3), 2, 2, 8);
            final CarouselGreedy solver = new CarouselGreedy(edges, limits);
            final String target = "n" + (n - 1);
            final List<FlowPath> best = solver.solve("n0", target);
            final List<FlowPath> greedy = solver.greedy("n0", target);

            assertThat(CarouselGreedy.total(best)).as("trial %d", trial)
                    .isGreaterThanOrEqualTo(CarouselGreedy.total(greedy) - 1e-9);
            assertThat(CarouselGreedy.total(best)).as("trial %d", trial)
                    .isLessThanOrEqualTo(maxFlow(edges, limits.thetaA(), "n0", target) + 1e-6);
            assertThat(loopFree(best)).isTrue();
            final Map<String, Double> capacity = new HashMap<>();
            edges.forEach(e -> capacity.put(e.from() + "->" + e.to(), e.capacity()));
            edgeFlows(best).forEach((edge, flow) ->
                    assertThat(flow).as("trial %d edge %s", trial, edge).isLessThanOrEqualTo(
                            limits.thetaA() * capacity.get(edge) + 1e-9));
            final Map<String, Integer> usage = new HashMap<>();
            for (final FlowPath path : best) {
                assertThat(path.latency()).isLessThanOrEqualTo(limits.thetaL() + 1e-9);
                assertThat(path.flow()).isPositive();
                for (int i = 0; i + 1 < path.nodes().size(); i++) {
                    usage.merge(path.nodes().get(i) + "->" + path.nodes().get(i + 1), 1, Integer::sum);
                }
            }
            assertThat(usage.values()).allSatisfy(u -> assertThat(u).isLessThanOrEqualTo(limits.maxEdgeUsage()));
        }
    }

    private static Map<String, Double> edgeFlows(final List<FlowPath> paths) {
        final Map<String, Double> flows = new HashMap<>();
        for (final FlowPath path : paths) {
            for (int i = 0; i + 1 < path.nodes().size(); i++) {
                flows.merge(path.nodes().get(i) + "->" + path.nodes().get(i + 1), path.flow(), Double::sum);
            }
        }
        return flows;
    }

    private static boolean loopFree(final List<FlowPath> paths) {
        return paths.stream().allMatch(p -> new java.util.HashSet<>(p.nodes()).size() == p.nodes().size());
    }

    /** Edmonds–Karp on capacities scaled by θ_A. */
    private static double maxFlow(final List<Edge> edges, final double thetaA, final String s, final String t) {
        final Map<String, Map<String, Double>> residual = new HashMap<>();
        for (final Edge e : edges) {
            residual.computeIfAbsent(e.from(), k -> new HashMap<>()).merge(e.to(), thetaA * e.capacity(), Double::sum);
            residual.computeIfAbsent(e.to(), k -> new HashMap<>()).putIfAbsent(e.from(), 0.0);
        }
        double total = 0;
        while (true) {
            final Map<String, String> parent = new HashMap<>();
            final ArrayDeque<String> queue = new ArrayDeque<>(List.of(s));
            parent.put(s, s);
            while (!queue.isEmpty() && !parent.containsKey(t)) {
                final String u = queue.poll();
                residual.getOrDefault(u, Map.of()).forEach((v, c) -> {
                    if (c > 1e-12 && !parent.containsKey(v)) {
                        parent.put(v, u);
                        queue.add(v);
                    }
                });
            }
            if (!parent.containsKey(t)) {
                return total;
            }
            double bottleneck = Double.MAX_VALUE;
            for (String v = t; !v.equals(s); v = parent.get(v)) {
                bottleneck = Math.min(bottleneck, residual.get(parent.get(v)).get(v));
            }
            for (String v = t; !v.equals(s); v = parent.get(v)) {
                final String u = parent.get(v);
                residual.get(u).merge(v, -bottleneck, Double::sum);
                residual.get(v).merge(u, bottleneck, Double::sum);
            }
            total += bottleneck;
        }
    }
}
