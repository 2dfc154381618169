package dev.arcturus.sinks.mysql;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.NetworkMetric;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.RegionProbe;
import dev.arcturus.avro.SystemInfo;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import java.util.List;

/** The topics the MySQL sink follows, one per table; tests pass private copies. */
public record MySqlTopics(Topic<NodeRegistration> registrations, Topic<SystemInfo> systemInfo,
                          Topic<RegionProbe> probes, Topic<NetworkMetric> metrics, Topic<DomainOrigin> origins) {

    public static MySqlTopics catalogue() {
        return new MySqlTopics(TopicCatalog.NODE_REGISTRATION, TopicCatalog.NODE_SYSTEM_INFO,
                TopicCatalog.REGION_PROBE, TopicCatalog.NETWORK_METRIC, TopicCatalog.DOMAIN_ORIGIN);
    }

    /** The catalogue topics renamed {@code <prefix>.<name>}. */
    public static MySqlTopics prefixed(final String prefix) {
        final MySqlTopics c = catalogue();
        return new MySqlTopics(c.registrations.withName(prefix + "." + c.registrations.name()),
                c.systemInfo.withName(prefix + "." + c.systemInfo.name()), c.probes.withName(prefix + "." + c.probes.name()),
                c.metrics.withName(prefix + "." + c.metrics.name()), c.origins.withName(prefix + "." + c.origins.name()));
    }

    public List<Topic<?>> all() {
        return List.of(registrations, systemInfo, probes, metrics, origins);
    }
}
