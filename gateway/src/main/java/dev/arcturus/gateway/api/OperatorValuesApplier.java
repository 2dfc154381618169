package dev.arcturus.gateway.api;

import dev.arcturus.avro.GlobalConfig;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.NodeRole;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.scheduling.operator.OperatorValues;
import dev.arcturus.topics.TopicCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts seed 000's configuration files into the plane as the gateway (the principal that writes the global config
 * and registrations): the {@code routing} section into the global config's {@code routing.*} settings, the
 * {@code nodeDiscovery} nodes into registrations. Idempotent, so every gateway replica may apply the same files at
 * start: settings already equal write nothing, and a node already registered is left as it is (the files seed a
 * fleet; later changes go through the API or MySQL).
 */
public final class OperatorValuesApplier {
    private static final Logger log = LoggerFactory.getLogger(OperatorValuesApplier.class);

    /** What applying changed. */
    public record Applied(int settingsChanged, List<String> registered, List<String> alreadyRegistered) {
    }

    private final Plane plane;

    public OperatorValuesApplier(final Plane plane) {
        this.plane = plane;
    }

    public Applied apply(final OperatorValues values) {
        int changed = 0;
        if (!values.routingSettings().isEmpty()) {
            final GlobalConfig config = plane.config();
            final Map<String, String> settings = new HashMap<>(config.getSettings());
            for (final Map.Entry<String, String> setting : values.routingSettings().entrySet()) {
                if (!Objects.equals(settings.put(setting.getKey(), setting.getValue()), setting.getValue())) {
                    changed++;
                }
            }
            if (changed > 0) {
                config.setSettings(settings);
                config.setVersion(config.getVersion() + 1);
                config.setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock()));
                plane.writer().write(TopicCatalog.GLOBAL_CONFIG, ConfigApi.KEY, config);
                log.info("Routing policy from the operator's files: {} setting(s) changed, global config version {}",
                        changed, config.getVersion());
            }
        }
        final List<String> registered = new ArrayList<>();
        final List<String> existing = new ArrayList<>();
        for (final OperatorValues.DiscoveredNode node : values.nodes()) {
            if (plane.view().get(TopicCatalog.NODE_REGISTRATION, node.id()).isPresent()) {
                existing.add(node.id());
                continue;
            }
            plane.writer().write(TopicCatalog.NODE_REGISTRATION, node.id(), NodeRegistration.newBuilder()
                    .setMetadata(EventMetadatas.newMetadata(Plane.PRODUCER, plane.clock())).setNodeId(node.id())
                    .setIp(node.ip()).setRegion(node.region()).setHostname(node.hostname())
                    .setDescription(node.description()).setRole(NodeRole.valueOf(node.role()))
                    .setTags(new ArrayList<>()).setRegisteredAt(plane.clock().instant()).build());
            registered.add(node.id());
            log.info("Node {} ({} in {}, {}) registered from the operator's node-discovery file", node.id(), node.ip(),
                    node.region(), node.role());
        }
        return new Applied(changed, registered, existing);
    }
}
