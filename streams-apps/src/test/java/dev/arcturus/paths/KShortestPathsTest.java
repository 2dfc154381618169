package dev.arcturus.paths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Yen's k best paths with the hop penalty, against brute-force enumeration of every simple path. */
class KShortestPathsTest {
    /** Carried with the tests (source and derivation in its README): the project reads nothing outside itself. */
    private static final String SKYACCEL = "/skyaccel-latency/median-rtt.csv";

    @Property(tries = 500)
    void shouldFindTheSameCostsAsEnumeratingEverySimplePath(@ForAll final long seed) {
        final Random random = new Random(seed);
        final int n = 3 + random.nextInt(6);
        final Map<String, List<KShortestPaths.Link>> graph = new HashMap<>();
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (a != b && random.nextDouble() < 0.6) {
                    // Few distinct scores on purpose: ties and equal-cost alternatives are where ranking goes wrong.
                    graph.computeIfAbsent("v" + a, x -> new ArrayList<>())
                            .add(new KShortestPaths.Link("v" + b, 1 + random.nextInt(5)));
                }
            }
        }
        final int threshold = 1 + random.nextInt(3);
        final double penalty = random.nextInt(4);
        final int k = 1 + random.nextInt(4);
        assertAgreesWithBruteForce(graph, "v0", "v" + (n - 1), k, threshold, penalty);
    }

    /**
     * Region-to-region searches add a virtual source and sink without copying the graph; they must rank paths exactly
     * as the same graph with two real extra nodes does.
     */
    @Property(tries = 300)
    void shouldSearchBetweenNodeSetsAsIfTheVirtualNodesWereReal(@ForAll final long seed) {
        final Random random = new Random(seed);
        final int n = 4 + random.nextInt(5);
        final Map<String, List<KShortestPaths.Link>> graph = new HashMap<>();
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (a != b && random.nextDouble() < 0.5) {
                    graph.computeIfAbsent("v" + a, x -> new ArrayList<>())
                            .add(new KShortestPaths.Link("v" + b, 1 + random.nextInt(4)));
                }
            }
        }
        final List<String> sources = new ArrayList<>();
        final List<String> sinks = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            (a % 2 == 0 ? sources : sinks).add("v" + a);
        }
        final int threshold = 1 + random.nextInt(3);
        final double penalty = random.nextInt(3);
        final int k = 1 + random.nextInt(3);
        final double virtualScore = 0.5;

        final RoutingGraph routing = RoutingGraph.of(graph);
        sources.forEach(routing::id);
        sinks.forEach(routing::id);
        final YenSearch search = new YenSearch(routing, threshold + 2, penalty);
        final boolean[] sinkMember = new boolean[routing.size()];
        sinks.forEach(node -> sinkMember[routing.find(node)] = true);
        search.overlay(sources.stream().mapToInt(routing::find).toArray(), sinkMember, virtualScore);
        final double[] bound = routing.costsTo(-1, sinks.stream().mapToInt(routing::find).toArray(), virtualScore,
                threshold + 2, penalty);
        final List<YenSearch.Found> found = search.best(search.virtualSource(), search.virtualSink(), k, bound);

        final Map<String, List<KShortestPaths.Link>> real = new HashMap<>();
        graph.forEach((from, links) -> real.put(from, new ArrayList<>(links)));
        real.put("S", sources.stream().map(node -> new KShortestPaths.Link(node, virtualScore)).toList());
        sinks.forEach(node -> real.computeIfAbsent(node, x -> new ArrayList<>())
                .add(new KShortestPaths.Link("T", virtualScore)));
        final KShortestPaths reference = new KShortestPaths(real, threshold + 2, penalty);
        final List<Double> expected = new ArrayList<>();
        enumerate(real, "S", "T", new ArrayList<>(List.of("S")), new HashSet<>(List.of("S")), reference, expected);
        Collections.sort(expected);

        assertThat(found).hasSize(Math.min(k, expected.size()));
        for (int i = 0; i < found.size(); i++) {
            assertThat(found.get(i).cost()).as("cost of path %d", i).isCloseTo(expected.get(i), within(1e-9));
            final int[] nodes = found.get(i).nodes();
            assertThat(nodes[0]).isEqualTo(search.virtualSource());
            assertThat(nodes[nodes.length - 1]).isEqualTo(search.virtualSink());
            assertThat(sources).contains(routing.name(nodes[1]));
            assertThat(sinks).contains(routing.name(nodes[nodes.length - 2]));
            assertThat(java.util.Arrays.stream(nodes).distinct().count()).as("loop-free").isEqualTo(nodes.length);
        }
    }

    @Test
    void shouldAgreeWithBruteForceOnSubsetsOfTheMeasuredSkyAccelMatrix() throws IOException {
        final Map<String, Map<String, Double>> rtt = skyAccelMatrix();
        assertThat(rtt).as("the measured 15-node matrix").hasSize(15);
        final List<String> nodes = new ArrayList<>(rtt.keySet());
        final Random random = new Random(15);
        for (int trial = 0; trial < 20; trial++) {
            Collections.shuffle(nodes, random);
            final List<String> subset = nodes.subList(0, 7);
            final Map<String, List<KShortestPaths.Link>> graph = graphOf(rtt, subset);
            assertAgreesWithBruteForce(graph, subset.get(0), subset.get(1), 2, 3, 2);
        }
    }

    @Test
    void shouldFindTwoLoopFreePathsNoWorseThanTheDirectLinkOnTheWholeMatrix() throws IOException {
        final Map<String, Map<String, Double>> rtt = skyAccelMatrix();
        final Map<String, List<KShortestPaths.Link>> graph = graphOf(rtt, new ArrayList<>(rtt.keySet()));
        final KShortestPaths paths = new KShortestPaths(graph, 3, 2);
        int detours = 0;
        for (final String source : rtt.keySet()) {
            for (final String target : rtt.get(source).keySet()) {
                if (target.equals(source)) {
                    continue; // nodes also probe themselves
                }
                final List<KShortestPaths.Path> best = paths.best(source, target, 2);
                assertThat(best).hasSize(2);
                assertThat(best.get(0).cost()).isLessThanOrEqualTo(rtt.get(source).get(target));
                assertThat(best.get(0).cost()).isLessThanOrEqualTo(best.get(1).cost());
                best.forEach(p -> assertThat(new HashSet<>(p.nodes())).hasSize(p.nodes().size()));
                if (best.get(0).hops() > 1) {
                    detours++;
                }
            }
        }
        assertThat(detours).as("an overlay that beats some direct routes").isPositive();
    }

    private static void assertAgreesWithBruteForce(final Map<String, List<KShortestPaths.Link>> graph, final String s,
                                                   final String t, final int k, final int threshold,
                                                   final double penalty) {
        final KShortestPaths yen = new KShortestPaths(graph, threshold, penalty);
        final List<Double> expected = new ArrayList<>();
        enumerate(graph, s, t, new ArrayList<>(List.of(s)), new HashSet<>(List.of(s)), yen, expected);
        Collections.sort(expected);
        final List<KShortestPaths.Path> found = yen.best(s, t, k);

        assertThat(found).hasSize(Math.min(k, expected.size()));
        for (int i = 0; i < found.size(); i++) {
            assertThat(found.get(i).cost()).as("cost of path %d of %s", i, found).isCloseTo(expected.get(i), within(1e-9));
            assertThat(new HashSet<>(found.get(i).nodes())).as("loop-free").hasSize(found.get(i).nodes().size());
            assertThat(found.get(i).nodes().get(0)).isEqualTo(s);
            assertThat(found.get(i).nodes().get(found.get(i).nodes().size() - 1)).isEqualTo(t);
        }
        assertThat(found.stream().map(KShortestPaths.Path::nodes).distinct()).hasSize(found.size());
    }

    private static void enumerate(final Map<String, List<KShortestPaths.Link>> graph, final String at, final String t,
                                  final List<String> path, final Set<String> onPath, final KShortestPaths costs,
                                  final List<Double> out) {
        if (at.equals(t)) {
            out.add(costs.cost(path));
            return;
        }
        for (final KShortestPaths.Link link : graph.getOrDefault(at, List.of())) {
            if (onPath.add(link.to())) {
                path.add(link.to());
                enumerate(graph, link.to(), t, path, onPath, costs, out);
                path.remove(path.size() - 1);
                onPath.remove(link.to());
            }
        }
    }

    private static Map<String, List<KShortestPaths.Link>> graphOf(final Map<String, Map<String, Double>> rtt,
                                                                  final List<String> nodes) {
        final Map<String, List<KShortestPaths.Link>> graph = new HashMap<>();
        for (final String a : nodes) {
            for (final String b : nodes) {
                final Double ms = rtt.getOrDefault(a, Map.of()).get(b);
                if (!a.equals(b) && ms != null) {
                    graph.computeIfAbsent(a, x -> new ArrayList<>()).add(new KShortestPaths.Link(b, ms));
                }
            }
        }
        return graph;
    }

    /** Median RTT per (source, target), measured between 15 cloud VMs. */
    private static Map<String, Map<String, Double>> skyAccelMatrix() throws IOException {
        final Map<String, Map<String, Double>> matrix = new TreeMap<>();
        try (InputStream in = KShortestPathsTest.class.getResourceAsStream(SKYACCEL)) {
            assertThat(in).as(SKYACCEL + " on the test classpath").isNotNull();
            final List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
            for (final String line : lines) {
                final String[] cols = line.split(",");
                matrix.computeIfAbsent(cols[0], x -> new TreeMap<>()).put(cols[1], Double.parseDouble(cols[2]));
            }
        }
        return matrix;
    }
}
