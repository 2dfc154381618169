package dev.arcturus.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.Heartbeat;
import dev.arcturus.avro.ProbeOutcome;
import dev.arcturus.avro.ProbeSample;
import dev.arcturus.avro.RegionProbe;
import dev.arcturus.avro.User;
import dev.arcturus.avro.UserRole;
import dev.arcturus.events.EventMetadatas;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputChecksTest {
    private static Heartbeat.Builder beat() {
        return Heartbeat.newBuilder().setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()))
                .setNodeId("node-1").setSentAt(Instant.now()).setSequence(1).setIntervalMs(10_000);
    }

    private static RegionProbe.Builder probe(final Long rtt) {
        return RegionProbe.newBuilder().setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()))
                .setSourceNodeId("node-1").setSourceIp("10.0.0.1").setSourceRegion("R0").setTargetIp("10.0.0.2")
                .setTargetRegion("R1").setTargetPort(443).setProbeTime(Instant.now())
                .setSamples(List.of(ProbeSample.newBuilder().setOutcome(ProbeOutcome.CONNECTED).setRttMicros(rtt)
                        .build()));
    }

    @Test
    void shouldPassSaneRecords() {
        assertThat(InputChecks.problem(beat().build())).isEmpty();
        assertThat(InputChecks.problem(probe(1_250L).build())).isEmpty();
        assertThat(InputChecks.problem(probe(null).build())).as("a timed-out sample has no RTT").isEmpty();
    }

    @Test
    void shouldNameTheFieldAndTheProblem() {
        assertThat(InputChecks.problem(beat().setNodeId(" ").build())).contains("nodeId: required, was empty");
        assertThat(InputChecks.problem(beat().setIntervalMs(-5).build()))
                .contains("intervalMs: must be within 1..3600000, was -5");
        assertThat(InputChecks.problem(beat().setNodeId("n".repeat(129)).build()))
                .contains("nodeId: at most 128 characters, was 129");
        assertThat(InputChecks.problem(probe(-3L).build()))
                .contains("samples[0].rttMicros: must not be negative, was -3");
        assertThat(InputChecks.problem(probe(5L).setTargetPort(70_000).build()))
                .contains("targetPort: must be within 0..65535, was 70000");
    }

    @Test
    void shouldLeaveTypesWithoutChecksAlone() {
        final User user = User.newBuilder().setMetadata(EventMetadatas.newMetadata("test", Clock.systemUTC()))
                .setUserId("").setName("").setRole(UserRole.USER).setKernelAccess(false).build();
        assertThat(InputChecks.problem(user)).isEmpty();
    }
}
