package dev.arcturus.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.List;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** The bus's grants keep the plane's rules, and docs/security.md shows exactly them. */
class BusAccessTest {
    @Test
    void shouldLetOnlyTheGatewayWriteIdentityRunUpdatesAndConfig() {
        assertThat(BusAccess.writersOf(TopicCatalog.USER)).containsExactly(BusPrincipal.GATEWAY);
        assertThat(BusAccess.writersOf(TopicCatalog.RUN_UPDATE)).containsExactly(BusPrincipal.GATEWAY);
        assertThat(BusAccess.writersOf(TopicCatalog.GLOBAL_CONFIG)).containsExactly(BusPrincipal.GATEWAY);
        assertThat(BusAccess.writersOf(TopicCatalog.JOB_COMMAND)).containsExactlyInAnyOrder(BusPrincipal.GATEWAY,
                BusPrincipal.PLACEMENT, BusPrincipal.ADMISSION);
    }

    @Test
    void shouldLetSinksOnlyReadAndOnlyEachAppWriteItsOutputs() {
        // The MySQL sink's change capture writes what operators and agents put into MySQL; nothing else.
        assertThat(BusAccess.of(BusPrincipal.SINK_MYSQL).writes()).containsExactlyInAnyOrder(
                TopicCatalog.NODE_REGISTRATION, TopicCatalog.NODE_SYSTEM_INFO, TopicCatalog.REGION_PROBE,
                TopicCatalog.DOMAIN_ORIGIN);
        assertThat(BusAccess.of(BusPrincipal.SINK_MONGO).writes()).isEmpty();
        assertThat(BusAccess.writersOf(TopicCatalog.JOB_STATE)).containsExactly(BusPrincipal.ADMISSION);
        assertThat(BusAccess.writersOf(TopicCatalog.NODE_LIVENESS)).containsExactly(BusPrincipal.LIVENESS);
        assertThat(BusAccess.writersOf(TopicCatalog.RUN_STATE)).containsExactly(BusPrincipal.RUN_STATE);
        assertThat(BusAccess.writersOf(TopicCatalog.PATH_SELECTION)).containsExactly(BusPrincipal.PATH_SELECTION);
        // Beyond those, a sink writes only its own dead-letter topic (and the capture its position and
        // transaction); it owns no group but its own.
        assertThat(BusAccess.bindings()).filteredOn(b -> b.entry().principal().equals("User:arcturus-sink-mongo"))
                .filteredOn(b -> b.entry().operation() != AclOperation.READ)
                .allMatch(b -> b.pattern().name().equals("arcturus-sink-mongo.dlq"));
        assertThat(BusAccess.bindings()).filteredOn(b -> b.entry().principal().equals("User:arcturus-sink-mysql"))
                .filteredOn(b -> b.entry().operation() != AclOperation.READ)
                .allMatch(b -> List.of("arcturus-sink-mysql.dlq", "arcturus-sink-mysql.capture-position",
                        "arcturus-sink-mysql.capture", TopicCatalog.NODE_REGISTRATION.name(),
                        TopicCatalog.NODE_SYSTEM_INFO.name(), TopicCatalog.REGION_PROBE.name(),
                        TopicCatalog.DOMAIN_ORIGIN.name())
                        .contains(b.pattern().name()));
    }

    @Test
    void shouldGrantNobodyClusterRightsOrAnotherPrincipalsPrefix() {
        for (final AclBinding binding : BusAccess.bindings()) {
            assertThat(binding.pattern().resourceType()).isNotEqualTo(ResourceType.CLUSTER);
            assertThat(binding.entry().principal()).isNotEqualTo(BusPrincipal.ADMIN.kafkaPrincipal());
            if (binding.entry().operation() == AclOperation.ALL) {
                assertThat(binding.entry().principal()).isEqualTo("User:" + binding.pattern().name());
            }
        }
        assertThat(Set.copyOf(BusAccess.bindings())).hasSameSizeAs(BusAccess.bindings());
    }

    @Test
    void shouldLetTheGatewayDescribeEveryGroupAndDeadLetterTopicButReadNoneOfThem() {
        final List<AclBinding> gateway = BusAccess.bindings().stream()
                .filter(b -> b.entry().principal().equals(BusPrincipal.GATEWAY.kafkaPrincipal())).toList();
        assertThat(gateway).filteredOn(b -> b.pattern().resourceType() == ResourceType.GROUP)
                .isNotEmpty().allMatch(b -> b.entry().operation() == AclOperation.DESCRIBE)
                .extracting(b -> b.pattern().name()).contains("arcturus-admission", "arcturus-sink-mongo");
        assertThat(gateway).filteredOn(b -> b.pattern().name().endsWith(".dlq"))
                .isNotEmpty().allMatch(b -> b.entry().operation() == AclOperation.DESCRIBE);
        assertThat(gateway).filteredOn(b -> b.pattern().name().equals(TopicCatalog.NODE_HEARTBEAT.name()))
                .extracting(b -> b.entry().operation()).containsOnly(AclOperation.WRITE, AclOperation.DESCRIBE);
    }

    @Test
    void shouldBeShownInTheSecurityDocAsGenerated() throws Exception {
        final String doc = Files.readString(Path.of("../docs/security.md"));
        assertThat(doc).as("docs/security.md holds BusAccess.markdownTable() verbatim; paste it from the "
                + "failure below").contains(BusAccess.markdownTable());
    }
}
