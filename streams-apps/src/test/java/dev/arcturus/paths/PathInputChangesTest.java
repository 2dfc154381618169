package dev.arcturus.paths;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.NodeRole;
import dev.arcturus.events.EventMetadatas;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Only registration changes that matter to routing ask for a full recompute. */
class PathInputChangesTest {
    @Test
    void shouldAskForAFullRecomputeOnlyWhenRoutingSeesTheNodeDifferently() {
        final PathInputChanges changes = new PathInputChanges();
        changes.nodeChanged("n1", node("eu-west", NodeRole.PROXY, false));
        assertThat(changes.structure.get()).as("a new node").isEqualTo(1);
        changes.nodeChanged("n1", node("eu-west", NodeRole.PROXY, true));
        assertThat(changes.structure.get()).as("scavenger mode: paths unaffected").isEqualTo(1);
        changes.nodeChanged("n1", node("eu-north", NodeRole.PROXY, true));
        assertThat(changes.structure.get()).as("another region").isEqualTo(2);
        changes.nodeChanged("n1", node("eu-north", NodeRole.CONTROLLER, true));
        assertThat(changes.structure.get()).as("no longer relays").isEqualTo(3);
        changes.nodeChanged("n1", node("eu-north", NodeRole.MEASUREMENT, true));
        assertThat(changes.structure.get()).as("still does not relay").isEqualTo(3);
        changes.nodeChanged("n1", null);
        assertThat(changes.structure.get()).as("deregistered").isEqualTo(4);
    }

    private static NodeRegistration node(final String region, final NodeRole role, final boolean scavenging) {
        return NodeRegistration.newBuilder().setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()))
                .setNodeId("n1").setIp("10.0.0.1").setRegion(region).setRole(role).setTags(List.of())
                .setScavengerModeActive(scavenging).setRegisteredAt(Instant.EPOCH).build();
    }
}
