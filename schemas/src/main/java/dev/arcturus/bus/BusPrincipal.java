package dev.arcturus.bus;

import java.util.List;
import java.util.Objects;

/**
 * A component's own identity on the bus: its SASL user name at Kafka (principal {@code User:<name>}) and at the schema
 * registry. Each streams app and sink is named after its application id or consumer group, so the prefixed ACLs on
 * that name cover its internal topics, group, transactional ids and dead-letter topic.
 *
 * @param name        the SASL user name
 * @param description what the component is, for the ACL table
 */
public record BusPrincipal(String name, String description) {
    /** Operators' admin: the broker's own identity and the only super user; creates topics, credentials and ACLs. */
    public static final BusPrincipal ADMIN = new BusPrincipal("arcturus-admin", "operators' admin (super user)");
    public static final BusPrincipal GATEWAY = new BusPrincipal("arcturus-gateway", "gRPC gateway");
    public static final BusPrincipal REGISTRY = new BusPrincipal("arcturus-registry", "schema registry");
    public static final BusPrincipal ADMISSION = new BusPrincipal("arcturus-admission", "admission app");
    public static final BusPrincipal LIVENESS = new BusPrincipal("arcturus-liveness", "liveness app");
    public static final BusPrincipal NETWORK_METRICS = new BusPrincipal("arcturus-network-metrics",
            "network metrics app");
    public static final BusPrincipal PATH_SELECTION = new BusPrincipal("arcturus-path-selection",
            "path selection app");
    public static final BusPrincipal RUN_STATE = new BusPrincipal("arcturus-run-state", "run-state app");
    public static final BusPrincipal PLACEMENT = new BusPrincipal("arcturus-placement", "placement app");
    public static final BusPrincipal SINK_MYSQL = new BusPrincipal("arcturus-sink-mysql", "MySQL sink");
    public static final BusPrincipal SINK_MONGO = new BusPrincipal("arcturus-sink-mongo", "MongoDB sink");

    private static final List<BusPrincipal> ALL = List.of(ADMIN, GATEWAY, REGISTRY, ADMISSION, LIVENESS,
            NETWORK_METRICS, PATH_SELECTION, RUN_STATE, PLACEMENT, SINK_MYSQL, SINK_MONGO);

    public BusPrincipal {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z][a-z0-9-]{1,62}")) {
            throw new IllegalArgumentException("a bus principal's name is lower-case letters, digits and '-', was '"
                    + name + "'");
        }
    }

    /** Every principal of the plane, the admin first. */
    public static List<BusPrincipal> all() {
        return ALL;
    }

    /** Every principal but the admin: the components an external cluster's own admin creates logins for. */
    public static List<BusPrincipal> components() {
        return ALL.stream().filter(p -> !p.equals(ADMIN)).toList();
    }

    /** The plane's principal called {@code name}; the error lists them. */
    public static BusPrincipal named(final String name) {
        return ALL.stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown bus principal '" + name + "'; one of "
                        + ALL.stream().map(BusPrincipal::name).toList()));
    }

    /** The principal as Kafka's authorizer sees it. */
    public String kafkaPrincipal() {
        return "User:" + name;
    }

    @Override
    public String toString() {
        return name;
    }
}
