package dev.arcturus.paths;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last-mile split of one (domain, region): how many of a round's requests each of the region's nodes takes, by
 * the reference's drift-plus-penalty rule (seed 000's BPR, §4 of the study) with real inputs and its bugs fixed.
 *
 * <p>Per node k: measured CPU {@code cpu_k} (mean of its last samples), logical cores, the measured latency from k
 * to the domain's origin {@code delay_k}, and a virtual queue {@code Q_k} kept between rounds. A request load
 * {@code r} is predicted to add {@code r / (a x cores)} CPU points (a = 36.87 requests per point, the reference's
 * first fit). {@code DPP_k = Q_k x ΔCPU_k / cores + V x delay_k x r_k} (V = 0.01). Then:
 * <ol>
 *   <li>start from a split proportional to spare capacity {@code (100 - cpu) x cores} (the seed started from
 *       placeholder zeros, which gave the last node everything);</li>
 *   <li>up to 3 times: take {@code p x r_m} from the node m with the largest DPP and spread it over the other
 *       active nodes by spare capacity; keep the move only if the total DPP fell, else undo it and retire m;</li>
 *   <li>{@code Q_k <- max(0, Q_k + predicted cpu_k - 40)}, once per round.</li>
 * </ol>
 * Unlike the seed, the measured CPU is never overwritten by a prediction mid-round (which made the outcome depend on
 * evaluation order), the delay is measured (the seed drew a random 1-100), queues persist across restarts (the
 * caller stores them), and integer shares are rounded by largest remainder with ties by node id, so the result is
 * deterministic and always sums to the requested total.
 */
public final class LastMileSplit {
    static final double V = 0.01;
    static final double CPU_TARGET = 40;
    static final double REQUESTS_PER_CPU_POINT = 36.87;
    static final int ITERATIONS = 3;

    /** One node of the region, with what was measured of it. */
    public record Candidate(String nodeId, double cpuPercent, int cores, double delayMs, double queue) {
        public Candidate {
            if (cores < 1) {
                throw new IllegalArgumentException("cores of " + nodeId + ": at least 1, was " + cores);
            }
        }

        double spareCapacity() {
            return Math.max(0, 100 - cpuPercent) * cores;
        }
    }

    /** Requests per node (summing to the total) and each node's queue after the round. */
    public record Result(Map<String, Integer> requests, Map<String, Double> queues) {
    }

    private LastMileSplit() {
    }

    public static Result split(final List<Candidate> region, final int total, final double redistribution) {
        if (total < 0 || redistribution < 0 || redistribution > 1) {
            throw new IllegalArgumentException("total >= 0 and 0 <= redistribution <= 1");
        }
        final List<Candidate> nodes = new ArrayList<>(region);
        nodes.sort(Comparator.comparing(Candidate::nodeId));
        final Map<String, Integer> requests = new LinkedHashMap<>();
        if (nodes.isEmpty()) {
            return new Result(requests, Map.of());
        }
        final int[] share = proportional(nodes, total);
        for (int i = 0; i < nodes.size(); i++) {
            requests.put(nodes.get(i).nodeId(), share[i]);
        }
        final List<Candidate> active = new ArrayList<>(nodes);
        for (int round = 0; round < ITERATIONS && active.size() > 1; round++) {
            final Candidate heaviest = active.stream().filter(n -> requests.get(n.nodeId()) > 0)
                    .max(Comparator.comparingDouble((Candidate n) -> dpp(n, requests.get(n.nodeId())))
                            .thenComparing(Candidate::nodeId, Comparator.reverseOrder()))
                    .orElse(null);
            if (heaviest == null) {
                break;
            }
            final int pool = (int) Math.round(redistribution * requests.get(heaviest.nodeId()));
            final List<Candidate> others = active.stream().filter(n -> n != heaviest).toList();
            if (pool == 0) {
                active.remove(heaviest);
                continue;
            }
            final Map<String, Integer> before = new HashMap<>(requests);
            final double dppBefore = totalDpp(nodes, requests);
            requests.merge(heaviest.nodeId(), -pool, Integer::sum);
            final int[] spread = proportional(others, pool);
            for (int i = 0; i < others.size(); i++) {
                requests.merge(others.get(i).nodeId(), spread[i], Integer::sum);
            }
            if (totalDpp(nodes, requests) >= dppBefore) {
                requests.putAll(before); // no improvement: undo, and stop taking from this node
                active.remove(heaviest);
            }
        }
        final Map<String, Double> queues = new LinkedHashMap<>();
        for (final Candidate node : nodes) {
            final double predicted = node.cpuPercent() + addedCpu(node, requests.get(node.nodeId()));
            queues.put(node.nodeId(), Math.max(0, node.queue() + predicted - CPU_TARGET));
        }
        return new Result(requests, queues);
    }

    static double dpp(final Candidate node, final int requests) {
        return node.queue() * addedCpu(node, requests) / node.cores() + V * node.delayMs() * requests;
    }

    private static double totalDpp(final List<Candidate> nodes, final Map<String, Integer> requests) {
        double sum = 0;
        for (final Candidate node : nodes) {
            sum += dpp(node, requests.get(node.nodeId()));
        }
        return sum;
    }

    private static double addedCpu(final Candidate node, final int requests) {
        return requests / (REQUESTS_PER_CPU_POINT * node.cores());
    }

    /** {@code total} split in proportion to spare capacity (equally if none has any), by largest remainder. */
    static int[] proportional(final List<Candidate> nodes, final int total) {
        double capacity = 0;
        for (final Candidate node : nodes) {
            capacity += node.spareCapacity();
        }
        final double[] exact = new double[nodes.size()];
        final int[] share = new int[nodes.size()];
        int given = 0;
        for (int i = 0; i < nodes.size(); i++) {
            exact[i] = capacity > 0 ? total * nodes.get(i).spareCapacity() / capacity : (double) total / nodes.size();
            share[i] = (int) Math.floor(exact[i]);
            given += share[i];
        }
        final List<Integer> order = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> share[i] - exact[i]).thenComparing(i -> i));
        for (int j = 0; given < total; j = (j + 1) % order.size()) {
            share[order.get(j)]++;
            given++;
        }
        return share;
    }
}
