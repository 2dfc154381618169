package dev.arcturus.gateway.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.JobKind;
import dev.arcturus.avro.JobSpec;
import dev.arcturus.avro.JobState;
import dev.arcturus.avro.JobStatus;
import dev.arcturus.avro.RunState;
import dev.arcturus.avro.RunStatus;
import dev.arcturus.avro.UserRole;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.gateway.auth.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class VisibilityTest {
    static {
        dev.arcturus.serde.GeneratedClassTrust.ensureInstalled(); // builders of records with enum defaults need it
    }

    private static final Instant T = Instant.parse("2027-01-01T00:00:00Z");
    private final Function<String, Optional<JobState>> jobs = id -> Optional.ofNullable(Map.of("job-1", job()).get(id));

    @Test
    void shouldShowARunFoldedBeforeItsJobWasReadToTheJobsOwnerOnly() {
        final RunState ownerless = run("job-1", "");

        assertThat(Visibility.canSee(new Principal("alice", UserRole.USER), ownerless)).isFalse();
        assertThat(Visibility.canSee(new Principal("alice", UserRole.USER), ownerless, jobs)).isTrue();
        assertThat(Visibility.canSee(new Principal("bob", UserRole.USER), ownerless, jobs)).isFalse();
        assertThat(Visibility.canSee(new Principal("alice", UserRole.USER), run("job-unknown", ""), jobs)).isFalse();
        // A run that has an owner keeps it: the job's owner does not see another owner's run through the job.
        assertThat(Visibility.canSee(new Principal("alice", UserRole.USER), run("job-1", "carol"), jobs)).isFalse();
    }

    private static RunState run(final String jobId, final String owner) {
        return RunState.newBuilder().setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()))
                .setRunId("run-" + jobId).setJobId(jobId).setNodeId("node-1").setOwnerId(owner).setScheduledAt(T)
                .setStatus(RunStatus.DEPLOYING).setLastUpdated(T).build();
    }

    private static JobState job() {
        return JobState.newBuilder().setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()))
                .setJobId("job-1").setVersion(1).setStatus(JobStatus.ACTIVE).setAssignedNodeIds(List.of("node-1"))
                .setSpec(JobSpec.newBuilder().setJobId("job-1").setOwner("alice").setKind(JobKind.ONE_SHOT)
                        .setTargetNodeId("node-1").setWindowStart(T).setWindowEnd(T.plusSeconds(3600))
                        .setLengthSeconds(60).build())
                .build();
    }
}
