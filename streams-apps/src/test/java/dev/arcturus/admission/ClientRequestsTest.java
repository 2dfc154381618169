package dev.arcturus.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.DecisionOutcome;
import dev.arcturus.avro.JobCommand;
import dev.arcturus.avro.JobDecision;
import dev.arcturus.registry.client.InMemorySchemaRegistryClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client's own request topic proves who asked: admission stamps the command with that principal (and a job
 * without an owner with it as owner), decides it like any command, and dead-letters a command naming someone else.
 */
class ClientRequestsTest {
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path stateDir;

    @Test
    void shouldStampARequestWithThePrincipalItsTopicBelongsTo() {
        try (AdmissionHarness admission = new AdmissionHarness(new InMemorySchemaRegistryClient(), stateDir)) {
            admission.register("node-1");
            final JobCommand unsigned = AdmissionHarness.command(dev.arcturus.avro.JobCommandType.SCHEDULE, "carol-job",
                    AdmissionHarness.oneShot("carol-job", "node-1", START, 60, START.plusSeconds(3600)).setOwner("")
                            .build(), "");

            final List<JobDecision> decisions = admission.request("carol", unsigned);

            assertThat(decisions).singleElement().satisfies(d ->
                    assertThat(d.getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED));
            assertThat(admission.jobStates().get("carol-job").getSpec().getOwner()).isEqualTo("carol");
        }
    }

    @Test
    void shouldDeadLetterARequestNamingAnotherRequesterAndRefuseAnotherOwnersJob() {
        try (AdmissionHarness admission = new AdmissionHarness(new InMemorySchemaRegistryClient(), stateDir)) {
            admission.register("node-1");
            assertThat(admission.accepted(AdmissionHarness.schedule(AdmissionHarness.oneShot("alice-job", "node-1",
                    START, 60, START.plusSeconds(3600)).build()))).isTrue();

            // Carol claims to be alice on her own topic: a lie, dead-lettered with the reason.
            assertThat(admission.request("carol", AdmissionHarness.delete("alice-job"))).isEmpty();
            assertThat(admission.deadLetterReasons()).singleElement().asString()
                    .contains("requestedBy: 'alice' is not carol");

            // As herself she may not delete alice's job: admission's requester check refuses it too.
            final JobCommand asCarol = AdmissionHarness.command(dev.arcturus.avro.JobCommandType.DELETE, "alice-job",
                    null, "");
            admission.request("carol", asCarol);
            assertThat(admission.jobStates()).containsKey("alice-job");
            assertThat(admission.deadLetterReasons()).anySatisfy(reason -> assertThat(reason)
                    .contains("requestedBy: 'carol' is neither the owner 'alice'"));
        }
    }
}
