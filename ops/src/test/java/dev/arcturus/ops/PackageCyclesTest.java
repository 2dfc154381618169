package dev.arcturus.ops;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package graph of every module's production code is acyclic: a package that needs another's behaviour takes an
 * interface it owns (as {@code auth.AuditLog}) or the shared rule moves to a package both use (as
 * {@code gateway.mapping}). Modules are already a DAG (Maven); this guards the packages inside and across them.
 */
class PackageCyclesTest {
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.arcturus");

    @Test
    void shouldReadEveryModule() {
        assertThat(Stream.of("dev.arcturus.topics.TopicCatalog", "dev.arcturus.scheduling.schedule.CronSchedule",
                "dev.arcturus.gateway.client.GatewayChannels", "dev.arcturus.admission.AdmissionTopology",
                "dev.arcturus.gateway.Gateway", "dev.arcturus.connector.NodeConnector", "dev.arcturus.sinks.delivery.SinkRunner",
                "dev.arcturus.launcher.ArcturusCommand", "dev.arcturus.tools.ToolsCommand",
                "dev.arcturus.cli.ClientCommand"))
                .allMatch(PRODUCTION::contain);
    }

    @Test
    void shouldHaveNoCycleBetweenPackages() {
        slices().matching("dev.arcturus.(**)").namingSlices("$1").should().beFreeOfCycles().check(PRODUCTION);
    }
}
