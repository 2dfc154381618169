package dev.arcturus.paths;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.NetworkMetric;
import dev.arcturus.avro.NodeCpuStats;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every path selection from one snapshot of the plane, as a pure function (the app's processor feeds it from its
 * stores; the benchmark feeds it directly):
 * <ul>
 *   <li>{@code node:<node>|<domain>} — the k best paths from each node to each domain's origin;</li>
 *   <li>{@code <region>|<domain>} — the k best of those over the region's nodes, the last-mile split
 *       ({@link LastMileSplit}) and, with the carousel policy, a multipath split ({@link CarouselGreedy});</li>
 *   <li>{@code <region>|region:<region2>} — the k best paths from any node of one region to any node of another.</li>
 * </ul>
 * Paths are ranked by link scores (floored at {@link RoutingPolicy#SCORE_FLOOR}) plus the hop penalty.
 */
public final class PathComputation {

    /** What the computation reads. {@code queue} gives a last-mile queue by {@code <domain>|<region>|<node>}. */
    public record Snapshot(List<NetworkMetric> links, Map<String, String> regionByNode, Map<String, DomainOrigin> origins,
                           Map<String, NodeCpuStats> cpu, Function<String, Double> queue) {
    }

    /** The selections by key, and the last-mile queues to store. */
    public record Result(Map<String, dev.arcturus.avro.PathSelection> selections, Map<String, Double> queues) {
    }

    private final RoutingPolicy policy;
    private final Clock clock;

    public PathComputation(final RoutingPolicy policy, final Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** Everything from one snapshot ({@link IncrementalPaths#full}). */
    public Result compute(final Snapshot snapshot, final long now) {
        final IncrementalPaths paths = new IncrementalPaths(policy, clock);
        return new Result(paths.full(snapshot, now), paths.queues());
    }
}
