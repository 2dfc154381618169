package dev.arcturus.tools.bench;

import dev.arcturus.avro.NodeSelector;
import dev.arcturus.placement.Fleet;
import dev.arcturus.placement.MovesLowerBound;
import dev.arcturus.placement.NodeSlot;
import dev.arcturus.placement.PlacedJob;
import dev.arcturus.placement.PlacementPlanner;
import dev.arcturus.placement.PlacementPolicy;
import dev.arcturus.placement.Plan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arcturus bench placement}: the leader's tick on a large skewed fleet. {@code plan_ms} is the median time to
 * index the fleet and plan one tick with the default policy (10,000 nodes in 10 regions, 100,000 placed jobs: a
 * fifth of the nodes carry 30 jobs, the rest 5; a third of the jobs select a region, a tenth are pinned).
 * {@code moves} is how many moves balancing takes from the same skew, uncapped per tick, with unit-weight jobs any
 * node may take, against {@code lower_bound}, the fewest moves that reach the same stop threshold. Ends with
 * {@code RESULT placement plan_ms=<n> moves=<n> lower_bound=<n>}.
 */
@Command(name = "placement", mixinStandardHelpOptions = true,
        description = "Placement plan time per tick on a large fleet, and moves to balance against the lower bound.")
public final class PlacementBenchmark implements Callable<Integer> {
    private static final int REGIONS = 10;

    @Option(names = "--nodes", defaultValue = "10000", description = "Fleet size (default ${DEFAULT-VALUE}).")
    private int nodes;
    @Option(names = "--jobs", defaultValue = "100000", description = "Placed jobs (default ${DEFAULT-VALUE}).")
    private int jobs;
    @Option(names = "--ticks", defaultValue = "30", description = "Measured ticks (default ${DEFAULT-VALUE}).")
    private int ticks;

    @Override
    public Integer call() {
        final List<NodeSlot> slots = nodes();
        final PlacementPolicy policy = PlacementPolicy.defaults();
        final double planMs = medianPlanMillis(slots, policy);
        final int[] counts = skewedCounts();
        final Fleet fleet = new Fleet(slots, jobs(counts, false));
        final Plan plan = new PlacementPlanner(policy.withMaxMovesPerTick(Integer.MAX_VALUE)).plan(fleet, false,
                node -> true);
        final long bound = MovesLowerBound.of(counts, policy.stopThreshold());
        System.out.printf("placement: %d nodes, %d jobs; imbalance %.2f -> %.3f in %d moves%n", nodes, jobs,
                plan.imbalanceBefore(), plan.imbalanceAfter(), plan.moves().size());
        System.out.printf("RESULT placement plan_ms=%.1f moves=%d lower_bound=%d%n", planMs, plan.moves().size(), bound);
        return 0;
    }

    /** Index + plan, as the leader does each tick; warmed up first so the JIT has compiled the planner. */
    private double medianPlanMillis(final List<NodeSlot> slots, final PlacementPolicy policy) {
        final int[] counts = skewedCounts();
        final PlacementPlanner planner = new PlacementPlanner(policy);
        final double[] millis = new double[ticks];
        for (int i = -10; i < ticks; i++) {
            final List<PlacedJob> placed = jobs(counts, true);
            final long start = System.nanoTime();
            final Plan plan = planner.plan(new Fleet(slots, placed), false, node -> true);
            final double elapsed = (System.nanoTime() - start) / 1e6;
            if (plan.moves().size() != policy.maxMovesPerTick()) {
                throw new IllegalStateException("expected a full tick of moves, got " + plan.moves().size());
            }
            if (i >= 0) {
                millis[i] = elapsed;
            }
        }
        Arrays.sort(millis);
        return millis[ticks / 2];
    }

    private List<NodeSlot> nodes() {
        final List<NodeSlot> slots = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            slots.add(new NodeSlot(nodeId(i), "region-" + (i % REGIONS), i % 3 == 0 ? Set.of("starlink") : Set.of(),
                    1.0, NodeSlot.Health.HEALTHY, ""));
        }
        return slots;
    }

    /** A fifth of the nodes carry six times the load of the rest (exactly {@code jobs} in all). */
    private int[] skewedCounts() {
        final int heavy = nodes / 5;
        final int light = jobs / (heavy * 6 + (nodes - heavy));
        final int[] counts = new int[nodes];
        int left = jobs;
        for (int i = 0; i < nodes; i++) {
            counts[i] = i < heavy ? light * 6 : light;
            left -= counts[i];
        }
        for (int i = 0; left > 0; i = (i + 1) % heavy) {
            counts[i]++;
            left--;
        }
        return counts;
    }

    private List<PlacedJob> jobs(final int[] counts, final boolean mixedSelectors) {
        final NodeSelector any = NodeSelector.newBuilder().build();
        final List<PlacedJob> placed = new ArrayList<>(jobs);
        int id = 0;
        for (int node = 0; node < counts.length; node++) {
            final NodeSelector region = NodeSelector.newBuilder().setRegion("region-" + (node % REGIONS)).build();
            for (int k = 0; k < counts[node]; k++, id++) {
                final boolean pinned = mixedSelectors && id % 10 == 0;
                final NodeSelector selector = pinned ? null : mixedSelectors && id % 3 == 0 ? region : any;
                placed.add(new PlacedJob("job-" + id, 1, 0.01, List.of(nodeId(node)), selector, true));
            }
        }
        return placed;
    }

    private static String nodeId(final int i) {
        return String.format("node-%05d", i);
    }
}
