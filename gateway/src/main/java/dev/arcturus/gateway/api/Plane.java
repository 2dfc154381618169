package dev.arcturus.gateway.api;

import dev.arcturus.gateway.artifacts.ArtifactStore;
import dev.arcturus.gateway.state.DecisionWaiter;
import dev.arcturus.gateway.state.PlaneView;
import dev.arcturus.gateway.state.PlaneWriter;
import dev.arcturus.avro.GlobalConfig;
import dev.arcturus.avro.RunState;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.topics.TopicCatalog;
import java.time.Clock;
import java.util.HashMap;
import java.time.Duration;
import java.util.Optional;

/**
 * What every API handler works with: the view it reads, the writer it writes through, the admission decisions it
 * waits for, and the clock.
 *
 * @param decisionDeadline how long a job write waits for its admission decision
 * @param artifacts        run artifact storage, when configured
 */
public record Plane(PlaneView view, PlaneWriter writer, DecisionWaiter decisions, Clock clock,
                    Duration decisionDeadline, Optional<ArtifactStore> artifacts) {
    static final String PRODUCER = "gateway";

    /** The stored global config, or the defaults when none was set (LEOScope crashed here). */
    public GlobalConfig config() {
        return view.get(TopicCatalog.GLOBAL_CONFIG, ConfigApi.KEY).map(c -> GlobalConfig.newBuilder(c).build())
                .orElseGet(() -> GlobalConfig.newBuilder()
                        .setMetadata(EventMetadatas.newMetadata(PRODUCER, clock)).setVersion(0)
                        .setArtifactContainer("arcturus-artifacts").setArtifactPathPrefix("runs")
                        .setArtifactLinkValiditySeconds(7 * 24 * 3600).setSettings(new HashMap<>()).build());
    }

    /** Where a run's artifact zip is stored: a container and a blob name. */
    public record ArtifactLocation(String container, String blob) {
    }

    /**
     * The run's artifact location, derived from the run and the current config — never taken from the URL the run
     * recorded, so no run can point a download elsewhere.
     */
    public ArtifactLocation artifactOf(final RunState run) {
        final GlobalConfig config = config();
        return new ArtifactLocation(config.getArtifactContainer(), ArtifactStore.blobName(
                config.getArtifactPathPrefix(), run.getNodeId(), run.getJobId(), run.getRunId(), run.getScheduledAt()));
    }
}
