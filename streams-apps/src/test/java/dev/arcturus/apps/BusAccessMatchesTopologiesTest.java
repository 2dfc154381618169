package dev.arcturus.apps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.admission.AdmissionConfig;
import dev.arcturus.admission.AdmissionTopology;
import dev.arcturus.bus.BusAccess;
import dev.arcturus.bus.BusPrincipal;
import dev.arcturus.liveness.LivenessPolicy;
import dev.arcturus.liveness.LivenessTopology;
import dev.arcturus.network.NetworkMetricsPolicy;
import dev.arcturus.network.NetworkMetricsTopology;
import dev.arcturus.paths.PathSelectionApp;
import dev.arcturus.paths.PathSelectionTopology;
import dev.arcturus.placement.PlacementPolicy;
import dev.arcturus.placement.PlacementTopology;
import dev.arcturus.registry.client.InMemorySchemaRegistryClient;
import dev.arcturus.runs.RunStateTopology;
import dev.arcturus.streams.StreamsAppKind;
import dev.arcturus.streams.TestDrivers;
import dev.arcturus.topics.Topic;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bus's ACLs ({@link BusAccess}) are written by hand beside the topic catalogue; this keeps them true to the
 * apps: every catalogue topic an app's topology reads (sources and global stores) or writes (sinks) is granted to
 * that app's principal, and nothing more. Internal topics are covered by the app's prefixed grants.
 */
class BusAccessMatchesTopologiesTest {
    @TempDir
    Path stateDir;

    @Test
    void shouldGrantEveryAppExactlyTheCatalogueTopicsItsTopologyReadsAndWrites() {
        final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        final Map<StreamsAppKind, Topology> topologies = Map.of(
                PlaneApps.ADMISSION, AdmissionTopology.build(registry,
                        AdmissionConfig.defaults(TestDrivers.UNREACHABLE, stateDir)),
                PlaneApps.LIVENESS, LivenessTopology.build(registry, LivenessPolicy.defaults()),
                PlaneApps.NETWORK, NetworkMetricsTopology.build(registry, NetworkMetricsPolicy.defaults()),
                PlaneApps.PATHS, PathSelectionTopology.build(registry, PathSelectionApp.DEFAULT_TICK),
                PlaneApps.RUNS, RunStateTopology.build(registry),
                PlaneApps.PLACEMENT, PlacementTopology.build(registry, PlacementPolicy.defaults(), "test"));
        assertThat(topologies.keySet()).as("every app of the plane is checked").containsExactlyInAnyOrderElementsOf(
                PlaneApps.all());
        topologies.forEach((app, topology) -> {
            final BusAccess.Access access = BusAccess.of(BusPrincipal.named(app.applicationId()));
            final TopologyDescription description = topology.describe();
            assertThat(catalogueOnly(sources(description), app)).as(app + " reads").isEqualTo(names(access.reads()));
            assertThat(catalogueOnly(sinks(description), app)).as(app + " writes").isEqualTo(names(access.writes()));
            // A pattern source reads topics by prefix: each must be a granted prefix followed by the rest of a name.
            assertThat(patterns(description)).as(app + " reads by pattern").allSatisfy(pattern ->
                    assertThat(access.readPrefixes()).anyMatch(prefix -> pattern.startsWith(
                            java.util.regex.Pattern.quote(prefix))));
            assertThat(access.readPrefixes()).as(app + "'s prefixed grants are used").allSatisfy(prefix ->
                    assertThat(patterns(description)).anyMatch(p -> p.startsWith(java.util.regex.Pattern.quote(prefix))));
        });
    }

    private static Set<String> names(final Set<Topic<?>> topics) {
        return topics.stream().map(Topic::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Drops the app's own internal topics, which its prefixed grant covers. */
    private static Set<String> catalogueOnly(final Set<String> topics, final StreamsAppKind app) {
        return topics.stream().filter(t -> !t.startsWith(app.applicationId()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> sources(final TopologyDescription description) {
        final Set<String> topics = new TreeSet<>();
        description.globalStores().forEach(store -> topics.addAll(store.source().topicSet()));
        description.subtopologies().forEach(sub -> sub.nodes().forEach(node -> {
            if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                topics.addAll(source.topicSet());
            }
        }));
        return topics;
    }

    private static Set<String> patterns(final TopologyDescription description) {
        final Set<String> patterns = new TreeSet<>();
        description.subtopologies().forEach(sub -> sub.nodes().forEach(node -> {
            if (node instanceof TopologyDescription.Source source && source.topicPattern() != null) {
                patterns.add(source.topicPattern().pattern());
            }
        }));
        return patterns;
    }

    private static Set<String> sinks(final TopologyDescription description) {
        final Set<String> topics = new TreeSet<>();
        description.subtopologies().forEach(sub -> sub.nodes().forEach(node -> {
            if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                topics.add(sink.topic());
            }
        }));
        return topics;
    }
}
