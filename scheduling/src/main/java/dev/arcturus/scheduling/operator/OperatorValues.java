package dev.arcturus.scheduling.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Seed 000's three configuration files — {@code scheduling-config.yaml}, {@code node-discovery.yaml},
 * {@code routing-policy.yaml} — as the plane reads them: each is a YAML map with one or more of the sections
 * {@code scheduling}, {@code nodeDiscovery} and {@code routing}, which are also the Helm chart's values of the same
 * names (so {@code helm install --values routing-policy.yaml} and {@code arcturus up --values routing-policy.yaml}
 * take the same file). Files are read in order; a later one overrides an earlier one key by key. Every key is
 * checked: an unknown one, or a value of the wrong kind, is refused with the file and the key named.
 *
 * @param routingSettings  the global config's {@code routing.*} settings (the path-selection app's policy)
 * @param nodes            nodes registered at start when not yet registered (the YAML form of init_nodes.sql)
 * @param decisionDeadline how long the gateway waits for admission's decision
 * @param runHotWindowDays how long final runs stay in the gateway's run history
 */
public record OperatorValues(Map<String, String> routingSettings, List<DiscoveredNode> nodes,
                             Optional<Duration> decisionDeadline, Optional<Integer> runHotWindowDays) {
    /** One node of {@code nodeDiscovery.nodes}; role CONTROLLER, PROXY or MEASUREMENT (default MEASUREMENT). */
    public record DiscoveredNode(String id, String ip, String region, String hostname, String description,
                                 String role) {
    }

    /** The routing keys and what each takes (the path-selection app's RoutingPolicy reads them). */
    public static final Map<String, Kind> ROUTING_KEYS = Map.of("k", Kind.COUNT, "hopThreshold", Kind.COUNT,
            "hopPenalty", Kind.NUMBER, "lastMileRequests", Kind.COUNT, "redistribution", Kind.NUMBER,
            "algorithm", Kind.ALGORITHM, "thetaA", Kind.NUMBER, "thetaL", Kind.NUMBER, "maxEdgeUsage", Kind.COUNT,
            "maxLinksPerNode", Kind.COUNT);
    static final Set<String> SECTIONS = Set.of("scheduling", "nodeDiscovery", "routing");
    static final Set<String> SCHEDULING_KEYS = Set.of("decisionDeadlineSeconds", "runHotWindowDays");
    static final Set<String> NODE_KEYS = Set.of("id", "ip", "region", "hostname", "description", "role");
    static final Set<String> ROLES = Set.of("CONTROLLER", "PROXY", "MEASUREMENT");
    private static final Pattern ID = dev.arcturus.events.EntityIds.ID;
    private static final Pattern IP = dev.arcturus.events.EntityIds.IP;

    /** What a routing value must be. */
    public enum Kind { COUNT, NUMBER, ALGORITHM }

    public OperatorValues {
        routingSettings = Map.copyOf(routingSettings);
        nodes = List.copyOf(nodes);
    }

    public static OperatorValues none() {
        return new OperatorValues(Map.of(), List.of(), Optional.empty(), Optional.empty());
    }

    public boolean isEmpty() {
        return routingSettings.isEmpty() && nodes.isEmpty() && decisionDeadline.isEmpty() && runHotWindowDays.isEmpty();
    }

    /** The files in order, later ones overriding earlier ones key by key (nodes: by id). */
    public static OperatorValues read(final List<Path> files) {
        final Map<String, String> routing = new LinkedHashMap<>();
        final Map<String, DiscoveredNode> nodes = new LinkedHashMap<>();
        Optional<Duration> deadline = Optional.empty();
        Optional<Integer> hotWindow = Optional.empty();
        for (final Path file : files) {
            final JsonNode root = parse(file);
            final String name = file.getFileName().toString();
            for (final Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                final Map.Entry<String, JsonNode> section = it.next();
                switch (section.getKey()) {
                    case "routing" -> routing.putAll(routing(name, section.getValue()));
                    case "nodeDiscovery" -> nodes(name, section.getValue()).forEach(n -> nodes.put(n.id(), n));
                    case "scheduling" -> {
                        final JsonNode scheduling = map(name, "scheduling", section.getValue());
                        checkKeys(name, "scheduling", scheduling, SCHEDULING_KEYS);
                        if (scheduling.has("decisionDeadlineSeconds")) {
                            deadline = Optional.of(Duration.ofSeconds(count(name, "scheduling.decisionDeadlineSeconds",
                                    scheduling.get("decisionDeadlineSeconds"), 1, 600)));
                        }
                        if (scheduling.has("runHotWindowDays")) {
                            hotWindow = Optional.of(count(name, "scheduling.runHotWindowDays",
                                    scheduling.get("runHotWindowDays"), 1, 36_500));
                        }
                    }
                    default -> throw refused(name, section.getKey(), "unknown section (known: " + sorted(SECTIONS) + ")");
                }
            }
        }
        return new OperatorValues(routing, new ArrayList<>(nodes.values()), deadline, hotWindow);
    }

    private static JsonNode parse(final Path file) {
        final JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (final IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it as YAML: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new ObjectMapper().createObjectNode(); // an empty file says nothing
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": must be a map of sections " + sorted(SECTIONS));
        }
        return root;
    }

    private static Map<String, String> routing(final String file, final JsonNode section) {
        final JsonNode routing = map(file, "routing", section);
        checkKeys(file, "routing", routing, ROUTING_KEYS.keySet());
        final Map<String, String> settings = new LinkedHashMap<>();
        routing.fields().forEachRemaining(entry -> {
            final String key = "routing." + entry.getKey();
            final JsonNode value = entry.getValue();
            switch (ROUTING_KEYS.get(entry.getKey())) {
                case COUNT -> settings.put(key, Integer.toString(count(file, key, value, 0, 1_000_000)));
                case NUMBER -> {
                    if (!value.isNumber() || value.asDouble() < 0) {
                        throw refused(file, key, "must be a number >= 0, was " + value);
                    }
                    settings.put(key, Double.toString(value.asDouble()));
                }
                case ALGORITHM -> {
                    if (!value.isTextual() || !Set.of("ksp", "carousel").contains(value.asText())) {
                        throw refused(file, key, "must be ksp or carousel, was " + value);
                    }
                    settings.put(key, value.asText());
                }
                default -> throw new IllegalStateException("unhandled kind of " + key);
            }
        });
        return settings;
    }

    private static List<DiscoveredNode> nodes(final String file, final JsonNode section) {
        final JsonNode discovery = map(file, "nodeDiscovery", section);
        checkKeys(file, "nodeDiscovery", discovery, Set.of("nodes"));
        final List<DiscoveredNode> nodes = new ArrayList<>();
        if (!discovery.has("nodes")) {
            return nodes;
        }
        if (!discovery.get("nodes").isArray()) {
            throw refused(file, "nodeDiscovery.nodes", "must be a list of nodes");
        }
        int i = 0;
        for (final JsonNode node : discovery.get("nodes")) {
            final String at = "nodeDiscovery.nodes[" + i++ + "]";
            map(file, at, node);
            checkKeys(file, at, node, NODE_KEYS);
            final String id = text(file, at + ".id", node, true);
            if (!ID.matcher(id).matches()) {
                throw refused(file, at + ".id", "'" + id + "' must be 1-128 letters, digits and . _ : @ -");
            }
            final String ip = text(file, at + ".ip", node, true);
            if (!IP.matcher(ip).matches()) {
                throw refused(file, at + ".ip", "'" + ip + "' is not an IPv4 or IPv6 address");
            }
            final String role = Optional.ofNullable(text(file, at + ".role", node, false)).orElse("MEASUREMENT");
            if (!ROLES.contains(role)) {
                throw refused(file, at + ".role", "must be one of " + sorted(ROLES) + ", was " + role);
            }
            nodes.add(new DiscoveredNode(id, ip, text(file, at + ".region", node, true),
                    text(file, at + ".hostname", node, false), text(file, at + ".description", node, false), role));
        }
        return nodes;
    }

    private static JsonNode map(final String file, final String key, final JsonNode value) {
        if (!value.isObject()) {
            throw refused(file, key, "must be a map");
        }
        return value;
    }

    private static void checkKeys(final String file, final String section, final JsonNode node, final Set<String> known) {
        node.fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                throw refused(file, section + "." + key, "unknown key (known: " + sorted(known) + ")");
            }
        });
    }

    private static int count(final String file, final String key, final JsonNode value, final int min, final int max) {
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
            throw refused(file, key, "must be a whole number " + min + ".." + max + ", was " + value);
        }
        return value.asInt();
    }

    private static String text(final String file, final String key, final JsonNode node, final boolean required) {
        final String field = key.substring(key.lastIndexOf('.') + 1);
        final JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            if (required) {
                throw refused(file, key, "required");
            }
            return null;
        }
        if (!value.isValueNode()) {
            throw refused(file, key, "must be text");
        }
        return value.asText().trim();
    }

    private static IllegalArgumentException refused(final String file, final String key, final String problem) {
        return new IllegalArgumentException(file + ": " + key + ": " + problem);
    }

    private static List<String> sorted(final Set<String> keys) {
        return keys.stream().sorted().toList();
    }
}
