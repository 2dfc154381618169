package dev.arcturus.sinks.mysql.capture;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.RegionProbe;
import dev.arcturus.avro.SystemInfo;
import dev.arcturus.topics.Topic;
import java.util.Objects;

/** Where the capture publishes what it reads from MySQL: the topics the sink mirrors into the same tables. */
public record CapturedTopics(Topic<NodeRegistration> registrations, Topic<SystemInfo> systemInfo,
                             Topic<RegionProbe> probes, Topic<DomainOrigin> origins) {
    public CapturedTopics {
        Objects.requireNonNull(registrations, "registrations");
        Objects.requireNonNull(systemInfo, "systemInfo");
        Objects.requireNonNull(probes, "probes");
        Objects.requireNonNull(origins, "origins");
    }
}
