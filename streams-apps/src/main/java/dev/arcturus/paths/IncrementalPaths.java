package dev.arcturus.paths;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.FlowPath;
import dev.arcturus.avro.NetworkMetric;
import dev.arcturus.avro.NodeCpuStats;
import dev.arcturus.avro.PathSelection;
import dev.arcturus.avro.RoutedPath;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.serde.GeneratedClassTrust;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Path selection kept up to date one link at a time.
 *
 * <p>{@link #full} computes every selection (node→origin, region→origin with its last-mile and multipath splits,
 * region→region) on the routing graph: each node's {@code routing.maxLinksPerNode} best links to other nodes (the
 * seed's "KNN" compression of a full mesh; 0 keeps all) plus its links to origins. It also keeps, as lower bounds on
 * any path's cost, the shortest score distance between every two nodes and from every node to every origin (the hop
 * penalty only adds, so they stay lower bounds).
 *
 * <p>{@link #update} applies one changed link. A selection can change only if (a) one of its paths uses a routing
 * edge that changed, or (b) an edge got cheaper and the cheapest path through it — bounded below by
 * {@code dist(source, a) + w' + dist(b, target)} — could beat the selection's k-th path. Only those are recomputed
 * (a region→origin selection also when a member's selection or its link to the origin changed). Decreases update the
 * distance bounds exactly (one relaxation of the matrix through the edge); increases leave them as they were, still
 * valid lower bounds, at worst recomputing a little more. {@code IncrementalPathsTest} checks every update against a
 * full recompute.
 */
public final class IncrementalPaths {
    /**
     * What the engine reads: every link, each node's region and each domain's origin (for {@link #full}), the
     * latest CPU stats, the stored last-mile queues by {@code <domain>|<region>|<node>}, and the nodes that must not
     * relay (controllers and measurement nodes: a path may start or end at one, never pass through it).
     */
    public record Snapshot(List<NetworkMetric> links, Map<String, String> regionByNode, Map<String, DomainOrigin> origins,
                           Map<String, NodeCpuStats> cpu, Function<String, Double> queue, Set<String> nonRelays) {
        /** Every node may relay (no roles known). */
        public Snapshot(final List<NetworkMetric> links, final Map<String, String> regionByNode,
                        final Map<String, DomainOrigin> origins, final Map<String, NodeCpuStats> cpu,
                        final Function<String, Double> queue) {
            this(links, regionByNode, origins, cpu, queue, Set.of());
        }
    }

    static final double UNMEASURED_CAPACITY = 1_000_000;
    private static final String VIRTUAL = "\u0000";
    private static final double EPSILON = 1e-9;

    private final RoutingPolicy policy;
    private final Clock clock;
    private final Map<String, Map<String, NetworkMetric>> linksFrom = new HashMap<>();
    private final Map<String, List<KShortestPaths.Link>> routing = new HashMap<>();
    /** The routing graph numbered, for the searches; each changed node's row is replaced with {@link #routing}. */
    private RoutingGraph graph = new RoutingGraph();
    /** Lower bounds on the distance to each search target (A*'s guide), valid while the graph's version holds. */
    private final Map<String, double[]> bounds = new HashMap<>();
    private long boundsVersion = -1;
    private final Map<String, String> regionByNode = new HashMap<>();
    private final Map<String, List<String>> regions = new TreeMap<>();
    private final Map<String, DomainOrigin> origins = new TreeMap<>();
    private final Set<String> nonRelays = new HashSet<>();
    /** The latest CPU stats and stored last-mile queues, as the caller's snapshot holds them (read, never copied). */
    private Map<String, NodeCpuStats> cpu = Map.of();
    private Function<String, Double> storedQueue = key -> null;
    private final Map<String, Double> queues = new HashMap<>();
    private final Map<String, PathSelection> selections = new HashMap<>();
    private String[] nodes = new String[0];
    private final Map<String, Integer> index = new HashMap<>();
    private double[][] distance = new double[0][0];
    private final Map<String, double[]> toOrigin = new HashMap<>();
    private long now;

    public IncrementalPaths(final RoutingPolicy policy, final Clock clock) {
        GeneratedClassTrust.ensureInstalled(); // building records with nested types loads their classes
        this.policy = policy;
        this.clock = clock;
    }

    /** Everything from scratch; the queues map gives last-mile queues by {@code <domain>|<region>|<node>}. */
    public Map<String, PathSelection> full(final Snapshot snapshot, final long at) {
        now = at;
        linksFrom.clear();
        for (final NetworkMetric metric : snapshot.links()) {
            linksFrom.computeIfAbsent(metric.getSourceNodeId(), x -> new HashMap<>()).put(target(metric), metric);
        }
        regionByNode.clear();
        regionByNode.putAll(snapshot.regionByNode());
        regions.clear();
        regionByNode.forEach((node, region) -> regions.computeIfAbsent(region, r -> new ArrayList<>()).add(node));
        regions.values().forEach(members -> members.sort(Comparator.naturalOrder()));
        origins.clear();
        origins.putAll(snapshot.origins());
        nonRelays.clear();
        nonRelays.addAll(snapshot.nonRelays());
        observe(snapshot);
        queues.clear();
        return rebuild();
    }

    /** The routing graph, its distance bounds and every selection, from the links, nodes and origins held. */
    private Map<String, PathSelection> rebuild() {
        routing.clear();
        for (final String from : linksFrom.keySet()) {
            routing.put(from, routingLinks(from));
        }
        graph = RoutingGraph.of(routing);
        distances();
        selections.clear();
        final YenSearch yen = yen();
        for (final String domain : origins.keySet()) {
            for (final String node : regionByNode.keySet()) {
                nodeToDomain(yen, node, domain);
            }
            for (final String region : regions.keySet()) {
                regionToDomain(region, domain);
            }
        }
        // By destination region first: every pair into one region shares that region's distance bounds.
        final YenSearch pairs = pairSearch();
        for (final String to : regions.keySet()) {
            for (final String from : regions.keySet()) {
                if (!from.equals(to)) {
                    regionPair(pairs, from, to);
                }
            }
        }
        return selections();
    }

    /** Applies one link's new metric ({@code null}: the link is gone); returns all selections after it. */
    public Map<String, PathSelection> update(final String from, final String to, final NetworkMetric metric,
                                             final Snapshot snapshot, final long at) {
        now = at;
        final Map<String, NetworkMetric> out = linksFrom.computeIfAbsent(from, x -> new HashMap<>());
        if (metric == null) {
            out.remove(to);
        } else {
            out.put(to, metric);
        }
        observe(snapshot);
        if (metric != null && joinsGraph(from, to)) {
            return rebuild(); // a node's first link: it needs a row in the distance bounds
        }
        final Map<String, Double> before = scores(routing.getOrDefault(from, List.of()));
        final List<KShortestPaths.Link> after = routingLinks(from);
        routing.put(from, after);
        final int nodesBefore = graph.size();
        graph.setLinks(from, after);
        final Map<String, Double> updated = scores(after);
        final Set<String> targets = new HashSet<>(before.keySet());
        targets.addAll(updated.keySet());
        final Set<String> affected = new HashSet<>();
        boolean lastMileLink = false;
        boolean cheaper = false;
        for (final String target : targets) {
            final double was = before.getOrDefault(target, Double.POSITIVE_INFINITY);
            final double is = updated.getOrDefault(target, Double.POSITIVE_INFINITY);
            if (was == is) {
                continue;
            }
            lastMileLink |= isOrigin(target);
            affected.addAll(usingEdge(from, target));
            if (is < was) {
                relax(from, target, is);
                affected.addAll(improvable(from, target, is));
                cheaper = true;
            }
        }
        if (!cheaper && graph.size() == nodesBefore) {
            boundsVersion = graph.version(); // only dearer or gone: the cached bounds are still lower bounds
        }
        if (!lastMileLink && metric != null && isOrigin(to)) {
            lastMileLink = true; // latency alone changed: the last-mile split reads it
        }
        recompute(affected, lastMileLink ? from : null);
        return selections();
    }

    /**
     * A domain's origin was set, moved or deleted ({@code origin} null): only that domain's selections change — every
     * node's and region's path to it, and the distance bounds to its address — so they alone are recomputed.
     */
    public Map<String, PathSelection> originChanged(final String domain, final DomainOrigin origin,
                                                    final Snapshot snapshot, final long at) {
        now = at;
        observe(snapshot);
        selections.keySet().removeIf(key -> key.substring(key.indexOf('|') + 1).equals(domain));
        if (origin == null) {
            origins.remove(domain);
            return selections();
        }
        origins.put(domain, origin);
        final int target = graph.find(origin.getOriginIp());
        final double[] rest = new double[nodes.length];
        Arrays.fill(rest, Double.POSITIVE_INFINITY);
        if (target >= 0) {
            final double[] all = bounds("plain:" + target, () -> graph.distancesTo(new int[] {target}, 0));
            for (int s = 0; s < nodes.length; s++) {
                final int id = graph.find(nodes[s]);
                rest[s] = id < 0 ? Double.POSITIVE_INFINITY : all[id];
            }
        }
        toOrigin.put(origin.getOriginIp(), rest);
        final YenSearch yen = yen();
        for (final String node : regionByNode.keySet()) {
            nodeToDomain(yen, node, domain);
        }
        for (final String region : regions.keySet()) {
            regionToDomain(region, domain);
        }
        return selections();
    }

    /** Only CPU moved: the last-mile splits (and multipath capacities) of region→origin selections. */
    public Map<String, PathSelection> refreshRegions(final Snapshot snapshot, final long at) {
        now = at;
        observe(snapshot);
        for (final String domain : origins.keySet()) {
            for (final String region : regions.keySet()) {
                regionToDomain(region, domain);
            }
        }
        return selections();
    }

    private void observe(final Snapshot snapshot) {
        cpu = snapshot.cpu();
        storedQueue = snapshot.queue();
    }

    public Map<String, PathSelection> selections() {
        return Map.copyOf(selections);
    }

    public Map<String, Double> queues() {
        return Map.copyOf(queues);
    }

    // --- what a change can touch ------------------------------------------------------------------------------

    private Set<String> usingEdge(final String from, final String to) {
        final Set<String> keys = new HashSet<>();
        selections.forEach((key, selection) -> {
            if (!"REGION_TO_DOMAIN".equals(selection.getKind())) {
                for (final RoutedPath path : selection.getPaths()) {
                    final List<String> hops = path.getHops();
                    for (int i = 0; i + 1 < hops.size(); i++) {
                        if (hops.get(i).equals(from) && hops.get(i + 1).equals(to)) {
                            keys.add(key);
                        }
                    }
                }
            }
        });
        return keys;
    }

    /** Selections whose k-th path a path through the cheaper edge might beat (by the distance lower bounds). */
    private Set<String> improvable(final String from, final String to, final double score) {
        final Set<String> keys = new HashSet<>();
        final Integer a = index.get(from);
        if (a == null) {
            return keys;
        }
        for (final Map.Entry<String, DomainOrigin> origin : origins.entrySet()) {
            final String ip = origin.getValue().getOriginIp();
            final double[] rest = toOrigin.get(ip);
            final double tail = to.equals(ip) ? 0 : index.containsKey(to) ? rest[index.get(to)] : Double.POSITIVE_INFINITY;
            for (final String node : regionByNode.keySet()) {
                final Integer s = index.get(node);
                final String key = "node:" + node + "|" + origin.getKey();
                if (s != null && distance[s][a] + score + tail < kthCost(key) + EPSILON) {
                    keys.add(key);
                }
            }
        }
        for (final String fromRegion : regions.keySet()) {
            final double head = regions.get(fromRegion).stream().map(index::get)
                    .mapToDouble(s -> s == null ? Double.POSITIVE_INFINITY : distance[s][a]).min()
                    .orElse(Double.POSITIVE_INFINITY);
            for (final String toRegion : regions.keySet()) {
                if (fromRegion.equals(toRegion) || !index.containsKey(to)) {
                    continue;
                }
                final int b = index.get(to);
                final double tail = regions.get(toRegion).stream().map(index::get)
                        .mapToDouble(t -> t == null ? Double.POSITIVE_INFINITY : distance[b][t]).min()
                        .orElse(Double.POSITIVE_INFINITY);
                final String key = fromRegion + "|region:" + toRegion;
                if (head + score + tail < kthCost(key) + EPSILON) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    private double kthCost(final String key) {
        final PathSelection selection = selections.get(key);
        if (selection == null || selection.getPaths().size() < policy.k()) {
            return Double.POSITIVE_INFINITY;
        }
        return selection.getPaths().get(policy.k() - 1).getCost();
    }

    private void recompute(final Set<String> keys, final String lastMileNode) {
        if (keys.isEmpty() && lastMileNode == null) {
            return;
        }
        final YenSearch yen = yen();
        final YenSearch pairs = pairSearch();
        final Set<String> regionDomains = new HashSet<>();
        for (final String key : keys) {
            if (key.startsWith("node:")) {
                final String node = key.substring(5, key.indexOf('|'));
                final String domain = key.substring(key.indexOf('|') + 1);
                nodeToDomain(yen, node, domain);
                regionDomains.add(regionByNode.get(node) + "|" + domain);
            } else {
                final int bar = key.indexOf("|region:");
                regionPair(pairs, key.substring(0, bar), key.substring(bar + "|region:".length()));
            }
        }
        if (lastMileNode != null && regionByNode.containsKey(lastMileNode)) {
            origins.keySet().forEach(domain -> regionDomains.add(regionByNode.get(lastMileNode) + "|" + domain));
        }
        for (final String key : regionDomains) {
            final int bar = key.lastIndexOf('|');
            regionToDomain(key.substring(0, bar), key.substring(bar + 1));
        }
    }

    // --- the selections ---------------------------------------------------------------------------------------

    private void nodeToDomain(final YenSearch yen, final String node, final String domain) {
        final String key = "node:" + node + "|" + domain;
        final DomainOrigin origin = origins.get(domain);
        final int source = graph.find(node);
        final int target = graph.find(origin.getOriginIp());
        final List<YenSearch.Found> found = source < 0 || target < 0 ? List.of()
                : yen.best(source, target, policy.k(), bounds("node:" + target,
                        () -> graph.costsTo(target, null, 0, policy.hopThreshold(), policy.hopPenalty())));
        if (found.isEmpty()) {
            selections.remove(key);
            return;
        }
        selections.put(key, selection(regionByNode.get(node), domain, origin.getOriginIp(), "NODE_TO_DOMAIN")
                .setSourceNodeId(node).setPaths(routed(found)).build());
    }

    /** The k best of the members' own paths, the last-mile split and, with the carousel policy, the multipath. */
    private void regionToDomain(final String region, final String domain) {
        final String key = region + "|" + domain;
        final String originIp = origins.get(domain).getOriginIp();
        final List<RoutedPath> candidates = new ArrayList<>();
        for (final String node : regions.get(region)) {
            final PathSelection own = selections.get("node:" + node + "|" + domain);
            if (own != null) {
                candidates.addAll(own.getPaths());
            }
        }
        if (candidates.isEmpty()) {
            selections.remove(key);
            return;
        }
        candidates.sort(Comparator.comparingDouble(RoutedPath::getCost)
                .thenComparing(p -> String.join(",", p.getHops())));
        final LastMileSplit.Result split = lastMile(domain, region, originIp);
        split.queues().forEach((node, queue) -> queues.put(domain + "|" + region + "|" + node, queue));
        final Map<String, Double> weights = new TreeMap<>();
        split.requests().forEach((node, requests) -> weights.put(node, (double) requests));
        selections.put(key, selection(region, domain, originIp, "REGION_TO_DOMAIN")
                .setPaths(List.copyOf(candidates.subList(0, Math.min(policy.k(), candidates.size()))))
                .setLastMileWeights(weights).setAlgorithm(policy.algorithm())
                .setMultipath(multipath(region, originIp)).build());
    }

    /**
     * Yen's search from a virtual node joined to every node of the first region to a virtual node joined from every
     * node of the second (the two virtual hops don't count towards the hop penalty; their floor scores are removed).
     */
    private void regionPair(final YenSearch search, final String from, final String to) {
        final String key = from + "|region:" + to;
        final int[] sources = regions.get(from).stream().mapToInt(graph::find).filter(id -> id >= 0).toArray();
        final int[] sinks = regions.get(to).stream().mapToInt(graph::find).filter(id -> id >= 0).toArray();
        final List<YenSearch.Found> found;
        if (sources.length == 0 || sinks.length == 0) {
            found = List.of();
        } else {
            final boolean[] sinkMember = new boolean[graph.size()];
            for (final int sink : sinks) {
                sinkMember[sink] = true;
            }
            search.overlay(sources, sinkMember, RoutingPolicy.SCORE_FLOOR);
            final double[] bound = bounds("region:" + to, () -> graph.costsTo(-1, sinks, RoutingPolicy.SCORE_FLOOR,
                    policy.hopThreshold() + 2, policy.hopPenalty()));
            found = search.best(search.virtualSource(), search.virtualSink(), policy.k(), bound);
        }
        if (found.isEmpty()) {
            selections.remove(key);
            return;
        }
        final List<RoutedPath> paths = found.stream().map(p -> {
            final List<String> hops = names(Arrays.copyOfRange(p.nodes(), 1, p.nodes().length - 1));
            return new RoutedPath(hops, p.cost() - 2 * RoutingPolicy.SCORE_FLOOR, latencyOf(hops));
        }).toList();
        selections.put(key, selection(from, "", "", "REGION_TO_REGION").setDestinationRegion(to).setPaths(paths)
                .build());
    }

    private List<FlowPath> multipath(final String region, final String originIp) {
        if (!RoutingPolicy.CAROUSEL.equals(policy.algorithm())) {
            return List.of();
        }
        final String source = VIRTUAL + "region:" + region;
        final List<CarouselGreedy.Edge> edges = new ArrayList<>();
        linksFrom.forEach((from, out) -> out.forEach((to, m) -> edges.add(new CarouselGreedy.Edge(from, to,
                m.getCapacity() != null ? m.getCapacity() : UNMEASURED_CAPACITY, m.getLinkLatencyMs()))));
        for (final String node : regions.get(region)) {
            edges.add(new CarouselGreedy.Edge(source, node, UNMEASURED_CAPACITY * 1000, 0));
        }
        return new CarouselGreedy(edges, new CarouselGreedy.Limits(policy.thetaA(), policy.thetaL(),
                policy.maxEdgeUsage(), 2, 2, 8)).solve(source, originIp).stream()
                .map(p -> new FlowPath(p.nodes().subList(1, p.nodes().size()), p.flow(), p.latency())).toList();
    }

    /** Over the region's nodes with fresh CPU stats and a measured latency to the origin; others are left out. */
    private LastMileSplit.Result lastMile(final String domain, final String region, final String originIp) {
        final List<LastMileSplit.Candidate> candidates = new ArrayList<>();
        for (final String node : regions.get(region)) {
            final NodeCpuStats stats = cpu.get(node);
            final NetworkMetric toOriginLink = linksFrom.getOrDefault(node, Map.of()).get(originIp);
            if (stats != null && toOriginLink != null) {
                final String queueKey = domain + "|" + region + "|" + node;
                final Double queue = queues.containsKey(queueKey) ? queues.get(queueKey)
                        : storedQueue.apply(queueKey);
                candidates.add(new LastMileSplit.Candidate(node, stats.getCpuMean(),
                        Math.max(1, stats.getLogicalCores()), toOriginLink.getLinkLatencyMs(), queue == null ? 0 : queue));
            }
        }
        return LastMileSplit.split(candidates, policy.lastMileRequests(), policy.redistribution());
    }

    // --- the routing graph and its distance bounds ------------------------------------------------------------

    /** A node's links to origins, and its best {@code maxLinksPerNode} links to nodes; sorted by target id. */
    private List<KShortestPaths.Link> routingLinks(final String from) {
        final List<KShortestPaths.Link> toNodes = new ArrayList<>();
        final List<KShortestPaths.Link> links = new ArrayList<>();
        for (final NetworkMetric m : linksFrom.getOrDefault(from, Map.of()).values()) {
            final KShortestPaths.Link link = new KShortestPaths.Link(target(m), score(m));
            if (m.getDestinationNodeId() != null) {
                toNodes.add(link);
            } else {
                links.add(link);
            }
        }
        toNodes.sort(Comparator.comparingDouble(KShortestPaths.Link::score).thenComparing(KShortestPaths.Link::to));
        final int keep = policy.maxLinksPerNode() == 0 ? toNodes.size() : Math.min(policy.maxLinksPerNode(), toNodes.size());
        links.addAll(toNodes.subList(0, keep));
        links.sort(Comparator.comparing(KShortestPaths.Link::to));
        return links;
    }

    /**
     * Whether a link between these two brings a registered node onto the routing graph for the first time, which
     * {@link #update} answers with a rebuild; a caller with several such links at once does better with one
     * {@link #full} recompute.
     */
    public boolean joinsGraph(final String from, final String to) {
        return outsideGraph(from) || outsideGraph(to);
    }

    private boolean outsideGraph(final String node) {
        return regionByNode.containsKey(node) && !index.containsKey(node);
    }

    /**
     * Shortest score distances between all nodes and from every node to every origin, on the routing graph. Only
     * registered nodes with a routing link from or to them get a row: a measurement fleet registers thousands of
     * nodes that never measure a link, and a square matrix over all of them would not fit in memory (10,000 nodes:
     * 800 MB). A node outside the graph reaches nothing, which a missing index already means.
     */
    private void distances() {
        final Set<String> onGraph = new TreeSet<>();
        routing.forEach((from, links) -> {
            if (!links.isEmpty() && regionByNode.containsKey(from)) {
                onGraph.add(from);
            }
            links.stream().map(KShortestPaths.Link::to).filter(regionByNode::containsKey).forEach(onGraph::add);
        });
        nodes = onGraph.toArray(String[]::new);
        index.clear();
        for (int i = 0; i < nodes.length; i++) {
            index.put(nodes[i], i);
        }
        distance = new double[nodes.length][];
        final int[] ids = Arrays.stream(nodes).mapToInt(graph::find).toArray();
        for (int s = 0; s < nodes.length; s++) {
            final double[] all = graph.distancesFrom(ids[s]);
            distance[s] = new double[nodes.length];
            for (int t = 0; t < nodes.length; t++) {
                distance[s][t] = all[ids[t]];
            }
        }
        toOrigin.clear();
        for (final DomainOrigin origin : origins.values()) {
            final double[] rest = new double[nodes.length];
            Arrays.fill(rest, Double.POSITIVE_INFINITY);
            final int target = graph.find(origin.getOriginIp());
            if (target >= 0) {
                final double[] all = bounds("plain:" + target, () -> graph.distancesTo(new int[] {target}, 0));
                for (int s = 0; s < nodes.length; s++) {
                    rest[s] = all[ids[s]];
                }
            }
            toOrigin.put(origin.getOriginIp(), rest);
        }
    }

    /** An edge a→b got cheaper: every distance through it can only fall, exactly to this (one edge, used once). */
    private void relax(final String from, final String to, final double score) {
        final Integer a = index.get(from);
        if (a == null) {
            return;
        }
        final Integer b = index.get(to);
        for (int i = 0; i < nodes.length; i++) {
            final double head = distance[i][a];
            if (head == Double.POSITIVE_INFINITY) {
                continue;
            }
            if (b != null) {
                final double[] row = distance[i];
                final double[] rowB = distance[b];
                for (int j = 0; j < nodes.length; j++) {
                    final double through = head + score + rowB[j];
                    if (through < row[j]) {
                        row[j] = through;
                    }
                }
                for (final double[] rest : toOrigin.values()) {
                    rest[i] = Math.min(rest[i], head + score + rest[b]);
                }
            } else if (toOrigin.containsKey(to)) {
                final double[] rest = toOrigin.get(to);
                rest[i] = Math.min(rest[i], head + score);
            }
        }
    }

    private double score(final String from, final String to) {
        for (final KShortestPaths.Link link : routing.getOrDefault(from, List.of())) {
            if (link.to().equals(to)) {
                return link.score();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private YenSearch yen() {
        return withRelays(new YenSearch(graph, policy.hopThreshold(), policy.hopPenalty()));
    }

    /** Region pairs: the two virtual hops are not counted towards the hop penalty. */
    private YenSearch pairSearch() {
        return withRelays(new YenSearch(graph, policy.hopThreshold() + 2, policy.hopPenalty()));
    }

    private YenSearch withRelays(final YenSearch search) {
        for (final String node : nonRelays) {
            final int id = graph.find(node);
            if (id >= 0) {
                search.noRelay(id);
            }
        }
        return search;
    }

    private double[] bounds(final String key, final Supplier<double[]> compute) {
        if (boundsVersion != graph.version()) {
            bounds.clear();
            boundsVersion = graph.version();
        }
        return bounds.computeIfAbsent(key, k -> compute.get());
    }

    private List<String> names(final int[] ids) {
        final List<String> names = new ArrayList<>(ids.length);
        for (final int id : ids) {
            names.add(graph.name(id));
        }
        return List.copyOf(names);
    }

    private boolean isOrigin(final String target) {
        return origins.values().stream().anyMatch(o -> o.getOriginIp().equals(target));
    }

    private static Map<String, Double> scores(final List<KShortestPaths.Link> links) {
        final Map<String, Double> scores = new HashMap<>();
        links.forEach(link -> scores.put(link.to(), link.score()));
        return scores;
    }

    static String target(final NetworkMetric metric) {
        return metric.getDestinationNodeId() != null ? metric.getDestinationNodeId() : metric.getDestinationIp();
    }

    private static double score(final NetworkMetric metric) {
        return Math.max(RoutingPolicy.SCORE_FLOOR, metric.getLinkScore() != null ? metric.getLinkScore()
                : metric.getLinkLatencyMs());
    }

    private double latencyOf(final List<String> hops) {
        double sum = 0;
        for (int i = 0; i + 1 < hops.size(); i++) {
            final NetworkMetric m = linksFrom.getOrDefault(hops.get(i), Map.of()).get(hops.get(i + 1));
            sum += m == null ? 0 : m.getLinkLatencyMs();
        }
        return sum;
    }

    private List<RoutedPath> routed(final List<YenSearch.Found> paths) {
        return paths.stream().map(p -> {
            final List<String> hops = names(p.nodes());
            return new RoutedPath(hops, p.cost(), latencyOf(hops));
        }).toList();
    }

    private PathSelection.Builder selection(final String region, final String domain, final String originIp,
                                            final String kind) {
        return PathSelection.newBuilder().setMetadata(EventMetadatas.newMetadata("path-selection", clock))
                .setSourceRegion(region).setDomain(domain).setOriginIp(originIp).setKind(kind)
                .setComputedAt(Instant.ofEpochMilli(now));
    }
}
