package dev.arcturus.placement;

import dev.arcturus.avro.NodeSelector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The fleet's load, indexed for planning: each node's work (the summed weight of its jobs), its load (work divided by
 * capacity), and the healthy nodes ordered by load then id, so the least and most loaded are found in O(log n) and
 * every choice is deterministic.
 *
 * <p>Imbalance is {@code (max load - min load) / mean load} over the healthy nodes, where the mean is total work over
 * total capacity: moving a job does not change it, so a move that narrows the gap between its two nodes can never
 * raise the imbalance. Membership comes from the node table, not from the jobs (the seed scheduler derived nodes from
 * shard owners, so an empty node could never receive work); a job on a node missing from the table makes that node
 * GONE.
 */
public final class Fleet {
    private final Map<String, NodeSlot> nodes = new HashMap<>();
    private final Map<String, Double> work = new HashMap<>();
    private final Map<String, List<PlacedJob>> jobsByNode = new HashMap<>();
    private final Map<String, PlacedJob> jobs = new HashMap<>();
    private final TreeSet<String> healthyByLoad = new TreeSet<>(
            Comparator.comparingDouble(this::load).thenComparing(Comparator.naturalOrder()));
    private double healthyWork;
    private double healthyCapacity;

    public Fleet(final Collection<NodeSlot> nodeSlots, final Collection<PlacedJob> placedJobs) {
        for (final NodeSlot node : nodeSlots) {
            nodes.put(node.id(), node);
            work.put(node.id(), 0.0);
        }
        for (final PlacedJob job : placedJobs) {
            jobs.put(job.id(), job);
            for (final String node : job.nodes()) {
                slotOf(node);
                work.merge(node, job.weight(), Double::sum);
                jobsByNode.computeIfAbsent(node, id -> new ArrayList<>()).add(job);
            }
        }
        for (final NodeSlot node : nodes.values()) {
            if (node.health() == NodeSlot.Health.HEALTHY) {
                healthyByLoad.add(node.id());
                healthyWork += work.get(node.id());
                healthyCapacity += node.capacity();
            }
        }
    }

    public double load(final String node) {
        return work.getOrDefault(node, 0.0) / nodes.get(node).capacity();
    }

    public NodeSlot node(final String id) {
        return nodes.get(id);
    }

    public PlacedJob job(final String id) {
        return jobs.get(id);
    }

    public int healthyCount() {
        return healthyByLoad.size();
    }

    /** {@code (max - min) / mean} load over healthy nodes; 0 for fewer than two nodes or no work. */
    public double imbalance() {
        if (healthyByLoad.size() < 2 || healthyWork <= 0) {
            return 0;
        }
        final double mean = healthyWork / healthyCapacity;
        return (load(healthyByLoad.last()) - load(healthyByLoad.first())) / mean;
    }

    /** Sum of capacity x load² over healthy nodes: every balancing move strictly lowers it, so moves can't cycle. */
    public double potential() {
        double sum = 0;
        for (final String node : healthyByLoad) {
            sum += nodes.get(node).capacity() * load(node) * load(node);
        }
        return sum;
    }

    public double minLoad() {
        return healthyByLoad.isEmpty() ? 0 : load(healthyByLoad.first());
    }

    /** Healthy nodes, most loaded first (ties: lowest id first among equals reversed, deterministic). */
    public Iterator<String> healthyByLoadDescending() {
        return healthyByLoad.descendingIterator();
    }

    public List<PlacedJob> jobsOn(final String node) {
        return jobsByNode.getOrDefault(node, List.of());
    }

    /** Jobs with at least one GONE node, in id order. */
    public List<PlacedJob> jobsOnGoneNodes() {
        final Set<PlacedJob> stranded = new LinkedHashSet<>();
        nodes.values().stream().filter(n -> n.health() == NodeSlot.Health.GONE).map(NodeSlot::id).sorted()
                .forEach(node -> stranded.addAll(jobsOn(node)));
        return stranded.stream().sorted(Comparator.comparing(PlacedJob::id)).toList();
    }

    public boolean matches(final String node, final NodeSelector selector) {
        final NodeSlot slot = nodes.get(node);
        if (selector == null) {
            return true;
        }
        return (selector.getRegion() == null || selector.getRegion().equals(slot.region()))
                && slot.tags().containsAll(selector.getTags());
    }

    /**
     * Up to {@code count} healthy nodes matching {@code selector}, least loaded first (ties: lowest id), skipping
     * {@code exclude} and any node {@code stillHealthy} rejects.
     */
    public List<String> leastLoaded(final NodeSelector selector, final Collection<String> exclude, final int count,
                                    final Predicate<String> stillHealthy) {
        final List<String> chosen = new ArrayList<>(count);
        for (final String node : healthyByLoad) {
            if (chosen.size() == count) {
                break;
            }
            if (!exclude.contains(node) && matches(node, selector) && stillHealthy.test(node)) {
                chosen.add(node);
            }
        }
        return chosen;
    }

    /** Adds a newly placed job's weight to its nodes (replacing any earlier entry for it). */
    public void add(final PlacedJob job) {
        remove(job.id());
        jobs.put(job.id(), job);
        for (final String node : job.nodes()) {
            addWork(node, job.weight());
            jobsByNode.computeIfAbsent(node, id -> new ArrayList<>()).add(job);
        }
    }

    /** Takes a job's weight off its nodes (a placement admission refused, or one about to be retried). */
    public void remove(final String jobId) {
        final PlacedJob job = jobs.remove(jobId);
        if (job == null) {
            return;
        }
        for (final String node : job.nodes()) {
            addWork(node, -job.weight());
            jobsByNode.get(node).remove(job);
        }
    }

    /** Moves {@code job} from one of its nodes to another, updating both loads. */
    public void move(final PlacedJob job, final String from, final String to) {
        addWork(from, -job.weight());
        addWork(to, job.weight());
        jobsByNode.get(from).remove(job);
        jobsByNode.computeIfAbsent(to, id -> new ArrayList<>()).add(job);
        job.replace(from, to);
    }

    /** A node the jobs name but the node table lacks has been deregistered: GONE, so its jobs are moved off. */
    private NodeSlot slotOf(final String node) {
        return nodes.computeIfAbsent(node, id -> new NodeSlot(id, null, Set.of(), 1.0, NodeSlot.Health.GONE,
                "node " + id + " deregistered"));
    }

    private void addWork(final String node, final double delta) {
        final boolean healthy = slotOf(node).health() == NodeSlot.Health.HEALTHY;
        if (healthy) {
            healthyByLoad.remove(node); // re-keyed: the order depends on the load being changed
            healthyWork += delta;
        }
        work.merge(node, delta, Double::sum);
        if (healthy) {
            healthyByLoad.add(node);
        }
    }
}
