package dev.arcturus.bus;

import static dev.arcturus.topics.TopicCatalog.ADMISSION_NODE_STEP;
import static dev.arcturus.topics.TopicCatalog.ADMISSION_RESULT;
import static dev.arcturus.topics.TopicCatalog.AUDIT;
import static dev.arcturus.topics.TopicCatalog.DOMAIN_ORIGIN;
import static dev.arcturus.topics.TopicCatalog.GLOBAL_CONFIG;
import static dev.arcturus.topics.TopicCatalog.JOB_COMMAND;
import static dev.arcturus.topics.TopicCatalog.JOB_DECISION;
import static dev.arcturus.topics.TopicCatalog.JOB_STATE;
import static dev.arcturus.topics.TopicCatalog.NETWORK_METRIC;
import static dev.arcturus.topics.TopicCatalog.NODE_CPU_STATS;
import static dev.arcturus.topics.TopicCatalog.NODE_HEARTBEAT;
import static dev.arcturus.topics.TopicCatalog.NODE_LIVENESS;
import static dev.arcturus.topics.TopicCatalog.NODE_REGISTRATION;
import static dev.arcturus.topics.TopicCatalog.NODE_SYSTEM_INFO;
import static dev.arcturus.topics.TopicCatalog.PATH_SELECTION;
import static dev.arcturus.topics.TopicCatalog.PLACEMENT_ACTION;
import static dev.arcturus.topics.TopicCatalog.PLACEMENT_COMMAND;
import static dev.arcturus.topics.TopicCatalog.REGION_PROBE;
import static dev.arcturus.topics.TopicCatalog.RUN_STATE;
import static dev.arcturus.topics.TopicCatalog.RUN_UPDATE;
import static dev.arcturus.topics.TopicCatalog.TASK;
import static dev.arcturus.topics.TopicCatalog.USER;

import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the bus: for each of the plane's principals, the catalogue topics it reads and writes and the
 * resources it owns under its own name. Everything not granted here is denied by the broker's authorizer; the admin
 * is the only super user. {@link #bindings()} are the ACLs {@code BusBootstrap} creates; {@link #markdownTable()} is
 * the table in docs/security.md (a test keeps the two in step), and a streams-apps test checks each app's topology
 * reads and writes only what it is granted here.
 *
 * <p>The rules the table keeps: only the gateway writes the identity, run update and config topics; only the gateway
 * and placement write job commands (and admission, which fans a node's delete-all out into one delete per job); sinks
 * read (and write their own dead-letter topic), except that the MySQL sink's change capture writes the registrations
 * and domain origins operators put into MySQL; nothing but a streams app writes that app's output and internal topics.
 */
public final class BusAccess {
    /** What one principal may do. */
    public record Access(BusPrincipal principal, Kind kind, Set<Topic<?>> reads, Set<Topic<?>> writes,
                         Set<String> readPrefixes) {
    }

    /** How a principal uses the resources under its own name. */
    public enum Kind {
        /** A Kafka Streams app: its application id prefixes its internal and dead-letter topics, group and transactions. */
        STREAMS_APP,
        /** A sink: a consumer group named after it and a dead-letter topic {@code <name>.dlq}. */
        SINK,
        /** A client with no group or transactions of its own (the gateway's followers assign partitions). */
        CLIENT,
        /** The schema registry: the one topic it keeps the schemas in. */
        REGISTRY
    }

    /**
     * Clients' own request topics: {@code jobs.request.<principal>}, written only by that principal (a stock Kafka
     * client producing job requests as itself) and read by admission, which stamps each command with it.
     */
    public static final String REQUEST_TOPIC_PREFIX = "jobs.request.";
    /** A producing client's principal: a user id that is also safe in a topic name. */
    public static final java.util.regex.Pattern CLIENT_NAME = java.util.regex.Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** A capturing sink's position topic and transactional id: {@code <sink name><suffix>}. */
    public static final String CAPTURE_POSITION_SUFFIX = ".capture-position";
    public static final String CAPTURE_TRANSACTION_SUFFIX = ".capture";

    /** The registry's topic, as the embedded registry names it by default. */
    public static final String SCHEMAS_TOPIC = "_schemas";

    private static final Map<BusPrincipal, Access> ACCESS = new LinkedHashMap<>();

    static {
        grant(BusPrincipal.GATEWAY, Kind.CLIENT,
                Set.of(NODE_REGISTRATION, NODE_LIVENESS, DOMAIN_ORIGIN, PATH_SELECTION, USER,
                        GLOBAL_CONFIG, JOB_DECISION, JOB_STATE, RUN_STATE, TASK, PLACEMENT_ACTION),
                Set.of(NODE_REGISTRATION, NODE_HEARTBEAT, NODE_SYSTEM_INFO, REGION_PROBE, DOMAIN_ORIGIN, USER,
                        GLOBAL_CONFIG, JOB_COMMAND, RUN_UPDATE, TASK, PLACEMENT_COMMAND, AUDIT));
        grant(BusPrincipal.REGISTRY, Kind.REGISTRY, Set.of(), Set.of());
        grant(BusPrincipal.ADMISSION, Kind.STREAMS_APP,
                Set.of(JOB_COMMAND, NODE_REGISTRATION, USER, ADMISSION_NODE_STEP, ADMISSION_RESULT),
                // JOB_COMMAND: a delete-all on a node is fanned out as one DELETE per job through each job's router.
                Set.of(JOB_COMMAND, JOB_DECISION, JOB_STATE, ADMISSION_NODE_STEP, ADMISSION_RESULT));
        grant(BusPrincipal.LIVENESS, Kind.STREAMS_APP,
                Set.of(NODE_HEARTBEAT, NODE_SYSTEM_INFO, REGION_PROBE, NODE_REGISTRATION),
                Set.of(NODE_LIVENESS));
        grant(BusPrincipal.NETWORK_METRICS, Kind.STREAMS_APP,
                Set.of(NODE_SYSTEM_INFO, REGION_PROBE, NODE_CPU_STATS),
                Set.of(NETWORK_METRIC, NODE_CPU_STATS));
        grant(BusPrincipal.PATH_SELECTION, Kind.STREAMS_APP,
                Set.of(NETWORK_METRIC, NODE_CPU_STATS, DOMAIN_ORIGIN, NODE_REGISTRATION, GLOBAL_CONFIG),
                Set.of(PATH_SELECTION));
        grant(BusPrincipal.RUN_STATE, Kind.STREAMS_APP, Set.of(RUN_UPDATE, JOB_STATE), Set.of(RUN_STATE));
        grant(BusPrincipal.PLACEMENT, Kind.STREAMS_APP,
                Set.of(PLACEMENT_COMMAND, JOB_DECISION, JOB_STATE, NODE_LIVENESS, NODE_REGISTRATION),
                Set.of(JOB_COMMAND, JOB_DECISION, PLACEMENT_COMMAND, PLACEMENT_ACTION));
        // The MySQL sink also captures the database's changes: rows operators write into node_region and
        // domain_origin become registrations and origins, probes and samples agents append to region_probe_info
        // and system_info probe rounds and system info (sinks, mysql.capture).
        grant(BusPrincipal.SINK_MYSQL, Kind.SINK,
                Set.of(NODE_REGISTRATION, NODE_SYSTEM_INFO, REGION_PROBE, NETWORK_METRIC, DOMAIN_ORIGIN),
                Set.of(NODE_REGISTRATION, NODE_SYSTEM_INFO, REGION_PROBE, DOMAIN_ORIGIN));
        grant(BusPrincipal.SINK_MONGO, Kind.SINK,
                Set.of(USER, NODE_REGISTRATION, NODE_LIVENESS, JOB_STATE, RUN_STATE, TASK, GLOBAL_CONFIG), Set.of());
    }

    private BusAccess() {
    }

    private static void grant(final BusPrincipal principal, final Kind kind, final Set<Topic<?>> reads,
                              final Set<Topic<?>> writes) {
        ACCESS.put(principal, new Access(principal, kind, sorted(reads), sorted(writes),
                principal.equals(BusPrincipal.ADMISSION) ? Set.of(REQUEST_TOPIC_PREFIX) : Set.of()));
    }

    private static Set<Topic<?>> sorted(final Set<Topic<?>> topics) {
        final List<Topic<?>> inCatalogueOrder = TopicCatalog.all().stream().filter(topics::contains).toList();
        if (inCatalogueOrder.size() != topics.size()) {
            throw new IllegalStateException("a grant names a topic outside the catalogue");
        }
        return new LinkedHashSet<>(inCatalogueOrder);
    }

    /** The access of a principal of the plane (the admin, a super user, has none listed). */
    public static Access of(final BusPrincipal principal) {
        final Access access = ACCESS.get(principal);
        if (access == null) {
            throw new IllegalArgumentException("no grants for " + principal + " (the admin is a super user)");
        }
        return access;
    }

    /** Every principal with grants, in table order. */
    public static List<Access> all() {
        return List.copyOf(ACCESS.values());
    }

    /** The principals that may write {@code topic}. */
    public static Set<BusPrincipal> writersOf(final Topic<?> topic) {
        return ACCESS.values().stream().filter(a -> a.writes().contains(topic)).map(Access::principal)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The ACLs that give every principal exactly its grants. */
    public static List<AclBinding> bindings() {
        final List<AclBinding> bindings = new ArrayList<>();
        for (final Access access : ACCESS.values()) {
            final String who = access.principal().kafkaPrincipal();
            access.reads().forEach(t -> bindings.add(allow(who, ResourceType.TOPIC, t.name(), PatternType.LITERAL,
                    AclOperation.READ)));
            access.writes().forEach(t -> bindings.add(allow(who, ResourceType.TOPIC, t.name(), PatternType.LITERAL,
                    AclOperation.WRITE)));
            access.readPrefixes().forEach(prefix -> bindings.add(allow(who, ResourceType.TOPIC, prefix,
                    PatternType.PREFIXED, AclOperation.READ)));
            final String name = access.principal().name();
            switch (access.kind()) {
                case STREAMS_APP -> {
                    // Internal topics (changelogs, repartitions), the dead-letter topic, the group and the
                    // transactional ids all start with the application id.
                    bindings.add(allow(who, ResourceType.TOPIC, name, PatternType.PREFIXED, AclOperation.ALL));
                    bindings.add(allow(who, ResourceType.GROUP, name, PatternType.PREFIXED, AclOperation.ALL));
                    bindings.add(allow(who, ResourceType.TRANSACTIONAL_ID, name, PatternType.PREFIXED,
                            AclOperation.ALL));
                }
                case SINK -> {
                    bindings.add(allow(who, ResourceType.GROUP, name, PatternType.LITERAL, AclOperation.READ));
                    for (final AclOperation op : List.of(AclOperation.CREATE, AclOperation.WRITE,
                            AclOperation.DESCRIBE)) {
                        bindings.add(allow(who, ResourceType.TOPIC, name + ".dlq", PatternType.LITERAL, op));
                    }
                    if (!access.writes().isEmpty()) {
                        // A capturing sink: its position topic and its one transactional id.
                        for (final AclOperation op : List.of(AclOperation.CREATE, AclOperation.READ,
                                AclOperation.WRITE, AclOperation.DESCRIBE)) {
                            bindings.add(allow(who, ResourceType.TOPIC, name + CAPTURE_POSITION_SUFFIX,
                                    PatternType.LITERAL, op));
                        }
                        for (final AclOperation op : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
                            bindings.add(allow(who, ResourceType.TRANSACTIONAL_ID, name + CAPTURE_TRANSACTION_SUFFIX,
                                    PatternType.LITERAL, op));
                        }
                    }
                }
                case REGISTRY -> {
                    for (final AclOperation op : List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE,
                            AclOperation.DESCRIBE_CONFIGS)) {
                        bindings.add(allow(who, ResourceType.TOPIC, SCHEMAS_TOPIC, PatternType.LITERAL, op));
                    }
                }
                case CLIENT -> {
                }
            }
        }
        bindings.addAll(observerBindings(BusPrincipal.GATEWAY));
        return List.copyOf(bindings);
    }

    /**
     * What the operators' dashboard reads about the bus, as the gateway: DESCRIBE only (metadata and offsets, never a
     * record) on every app's and sink's consumer group and dead-letter topic, and on every catalogue topic, so it can
     * count dead letters and each group's lag.
     */
    static List<AclBinding> observerBindings(final BusPrincipal observer) {
        final String who = observer.kafkaPrincipal();
        final List<AclBinding> bindings = new ArrayList<>();
        for (final Access access : ACCESS.values()) {
            if (access.kind() == Kind.STREAMS_APP || access.kind() == Kind.SINK) {
                final String name = access.principal().name();
                bindings.add(allow(who, ResourceType.GROUP, name, PatternType.LITERAL, AclOperation.DESCRIBE));
                bindings.add(allow(who, ResourceType.TOPIC, name + ".dlq", PatternType.LITERAL, AclOperation.DESCRIBE));
            }
        }
        for (final Topic<?> topic : TopicCatalog.all()) {
            bindings.add(allow(who, ResourceType.TOPIC, topic.name(), PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        return bindings;
    }

    /** A producing client's request topic. */
    public static String requestTopic(final String client) {
        if (!CLIENT_NAME.matcher(client).matches()) {
            throw new IllegalArgumentException("a producing client's name is 1-128 letters, digits, '.', '_' or '-' "
                    + "(it names its topic), was '" + client + "'");
        }
        return REQUEST_TOPIC_PREFIX + client;
    }

    /** The one ACL a producing client gets: write its own request topic, nothing else. */
    public static List<AclBinding> producerBindings(final String client) {
        return List.of(allow("User:" + client, ResourceType.TOPIC, requestTopic(client), PatternType.LITERAL,
                AclOperation.WRITE));
    }

    private static AclBinding allow(final String principal, final ResourceType type, final String name,
                                    final PatternType pattern, final AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    /** The table in docs/security.md: topics by rows, principals' rights by columns. */
    public static String markdownTable() {
        final List<Access> accesses = all();
        final StringBuilder table = new StringBuilder("| Topic |");
        accesses.forEach(a -> table.append(" `").append(a.principal().name().replace("arcturus-", ""))
                .append("` |"));
        table.append("\n|---|").append("---|".repeat(accesses.size())).append('\n');
        for (final Topic<?> topic : TopicCatalog.all()) {
            table.append("| `").append(topic.name()).append("` |");
            for (final Access access : accesses) {
                final boolean reads = access.reads().contains(topic);
                final boolean writes = access.writes().contains(topic);
                table.append(' ').append(reads && writes ? "RW" : reads ? "R" : writes ? "W" : "·").append(" |");
            }
            table.append('\n');
        }
        table.append("| `").append(REQUEST_TOPIC_PREFIX).append("<client>` |");
        for (final Access access : accesses) {
            table.append(' ').append(access.readPrefixes().contains(REQUEST_TOPIC_PREFIX) ? "R" : "·").append(" |");
        }
        table.append('\n');
        table.append("| own resources |");
        for (final Access access : accesses) {
            table.append(' ').append(switch (access.kind()) {
                case STREAMS_APP -> "topics, group, transactional ids `" + access.principal().name() + "*`";
                case SINK -> "group `" + access.principal().name() + "`, topic `" + access.principal().name()
                        + ".dlq`" + (access.writes().isEmpty() ? "" : ", topic `" + access.principal().name()
                        + CAPTURE_POSITION_SUFFIX + "`, transactional id `" + access.principal().name()
                        + CAPTURE_TRANSACTION_SUFFIX + "`");
                case REGISTRY -> "topic `" + SCHEMAS_TOPIC + "`";
                case CLIENT -> "—";
            }).append(" |");
        }
        return table.append('\n').toString();
    }
}
