package dev.arcturus.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The leader's tick, as a pure function of the fleet: first move jobs off GONE nodes, then balance.
 *
 * <p>Balancing is the seed scheduler's idea with its flaws removed (see DESIGN.md): it starts above
 * {@code startThreshold} and runs until imbalance is at or below {@code stopThreshold}; it only makes a move that
 * leaves both of its nodes strictly between their old loads (the receiver stays below the sender's old load and the
 * sender above the receiver's), so the fleet's maximum never rises, its minimum never falls, and
 * {@link Fleet#potential()} strictly drops with every move, which rules out oscillation (the seed's 4/4/3 fleet,
 * where a move would only swap the 4 and the 3, gets no move at all). Each move is applied to the fleet before the
 * next is chosen, so a tick never sends five jobs to the same node on stale numbers.
 */
public final class PlacementPlanner {
    /** Loads are sums of doubles: a gap narrower than this is rounding, not a gap. */
    private static final double EPSILON = 1e-9;

    private final PlacementPolicy policy;

    public PlacementPlanner(final PlacementPolicy policy) {
        this.policy = policy;
    }

    /**
     * Plans one tick on {@code fleet} (which it updates as it plans).
     *
     * @param wasRebalancing whether the previous tick left balancing under way
     * @param stillHealthy   a last-moment check of a target's health (the fleet may be a tick old)
     */
    public Plan plan(final Fleet fleet, final boolean wasRebalancing, final Predicate<String> stillHealthy) {
        final double before = fleet.imbalance();
        final List<Move> moves = new ArrayList<>();
        final List<String> stranded = new ArrayList<>();
        evacuate(fleet, stillHealthy, moves, stranded);
        final double afterEvacuation = fleet.imbalance();
        final boolean active = wasRebalancing ? afterEvacuation > policy.stopThreshold()
                : afterEvacuation > policy.startThreshold();
        if (active) {
            int budget = policy.maxMovesPerTick();
            while (budget > 0 && fleet.imbalance() > policy.stopThreshold()) {
                final Move move = bestBalancingMove(fleet, stillHealthy);
                if (move == null) {
                    break;
                }
                moves.add(move);
                budget--;
            }
        }
        final double after = fleet.imbalance();
        return new Plan(moves, before, after, active && after > policy.stopThreshold(), stranded);
    }

    private void evacuate(final Fleet fleet, final Predicate<String> stillHealthy, final List<Move> moves,
                          final List<String> stranded) {
        int budget = policy.maxEvacuationsPerTick();
        for (final PlacedJob job : fleet.jobsOnGoneNodes()) {
            if (!job.movable()) {
                continue; // pinned to its node by the researcher, in flight, or its view is stale
            }
            for (final String from : List.copyOf(job.nodes())) {
                final NodeSlot node = fleet.node(from);
                if (node.health() != NodeSlot.Health.GONE) {
                    continue;
                }
                if (budget == 0) {
                    return;
                }
                final List<String> target = fleet.leastLoaded(job.selector(), job.nodes(), 1, stillHealthy);
                if (target.isEmpty()) {
                    stranded.add(job.id());
                    continue;
                }
                final double before = fleet.imbalance();
                fleet.move(job, from, target.get(0));
                moves.add(new Move(job.id(), job.version(), from, target.get(0), true, node.why(), before,
                        fleet.imbalance()));
                budget--;
            }
        }
    }

    /**
     * The move from the most loaded node that can shed work: its heaviest movable job that fits, to the least loaded
     * healthy node matching the job's selector and not already running it.
     */
    private Move bestBalancingMove(final Fleet fleet, final Predicate<String> stillHealthy) {
        final double floor = fleet.minLoad();
        final Iterator<String> sources = fleet.healthyByLoadDescending();
        while (sources.hasNext()) {
            final String from = sources.next();
            final double sourceLoad = fleet.load(from);
            if (sourceLoad <= floor) {
                return null; // every remaining node is at the minimum: nothing can narrow a gap
            }
            final List<PlacedJob> candidates = fleet.jobsOn(from).stream().filter(PlacedJob::balanceable)
                    .sorted(Comparator.comparingDouble(PlacedJob::weight).reversed().thenComparing(PlacedJob::id))
                    .toList();
            for (final PlacedJob job : candidates) {
                final List<String> target = fleet.leastLoaded(job.selector(), job.nodes(), 1, stillHealthy);
                if (!target.isEmpty() && narrowsGap(fleet, job, from, target.get(0))) {
                    final double before = fleet.imbalance();
                    final String to = target.get(0);
                    final String reason = String.format(Locale.ROOT, "imbalance %.2f > %.2f: load %.3f on %s, %.3f on %s",
                            before, policy.stopThreshold(), sourceLoad, from, fleet.load(to), to);
                    fleet.move(job, from, to);
                    return new Move(job.id(), job.version(), from, to, false, reason, before, fleet.imbalance());
                }
            }
        }
        return null;
    }

    /** True when moving the job leaves both nodes strictly between the two old loads. */
    static boolean narrowsGap(final Fleet fleet, final PlacedJob job, final String from, final String to) {
        final double sourceLoad = fleet.load(from);
        final double targetLoad = fleet.load(to);
        final double sourceAfter = sourceLoad - job.weight() / fleet.node(from).capacity();
        final double targetAfter = targetLoad + job.weight() / fleet.node(to).capacity();
        return targetAfter < sourceLoad - EPSILON && sourceAfter > targetLoad + EPSILON;
    }
}
