package dev.arcturus.gateway;

import static dev.arcturus.gateway.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.gateway.api.v1.DecisionOutcome;
import dev.arcturus.gateway.api.v1.GetJobRequest;
import dev.arcturus.gateway.api.v1.JobEvent;
import dev.arcturus.gateway.api.v1.JobServiceGrpc;
import dev.arcturus.gateway.api.v1.JobSpec;
import dev.arcturus.gateway.api.v1.JobType;
import dev.arcturus.gateway.api.v1.Role;
import dev.arcturus.gateway.api.v1.ScheduleJobRequest;
import dev.arcturus.gateway.api.v1.WatchRequest;
import dev.arcturus.gateway.client.GatewayChannels;
import dev.arcturus.gateway.client.Timestamps;
import dev.arcturus.testing.SharedPlane;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas behind one client-side list: when the replica a client is on goes away, its reads and writes
 * go on at the other, and a watch resumed from its last token there misses nothing and repeats nothing.
 */
class GatewayReplicasTest {
    private static final Instant DAY = Instant.parse("2027-04-01T00:00:00Z");
    private final GatewayFixture fixture = GatewayFixture.instance();

    private static JobSpec cron(final String id, final String node, final String schedule) {
        return JobSpec.newBuilder().setId(id).setNodeId(node).setType(JobType.CRON).setSchedule(schedule)
                .setStart(Timestamps.of(DAY)).setEnd(Timestamps.of(DAY.plus(Duration.ofDays(2))))
                .setLengthSeconds(600).setExclusive(true).setConfig("docker:\n  image: arcturus/busybox:test\n").build();
    }

    private static List<String> decided(final List<JobEvent> events, final String jobId) {
        return events.stream().filter(e -> e.hasDecision() && e.getDecision().getJobId().equals(jobId))
                .map(e -> e.getDecision().getOutcome().name()).toList();
    }

    @Test
    void shouldMoveClientsToTheNextReplicaAndResumeWatchesWithoutGapOrRepeat() throws Exception {
        final SharedPlane plane = SharedPlane.instance();
        final PlaneEndpoints endpoints = new PlaneEndpoints(plane.bootstrapServers(), plane.registryUrl());
        final Path dir = Files.createTempDirectory("gateway-replicas");
        final Gateway first = Gateway.start(endpoints, new GatewaySettings("127.0.0.1", 0, Optional.empty(),
                Duration.ofSeconds(20), dir.resolve("first-token")), Clock.systemUTC());
        final Gateway second = Gateway.start(endpoints, new GatewaySettings("127.0.0.1", 0, Optional.empty(),
                Duration.ofSeconds(20), dir.resolve("second-token")), Clock.systemUTC());
        final ManagedChannel channel = GatewayChannels.open("127.0.0.1:" + first.port() + ",127.0.0.1:"
                + second.port(), Optional.empty(), true);
        boolean firstClosed = false;
        try {
            final String token = fixture.newUser(unique("ivan"), Role.USER);
            final String node = unique("node");
            fixture.newNode(node, Role.NODE);
            final JobServiceGrpc.JobServiceBlockingStub jobs = JobServiceGrpc.newBlockingStub(channel)
                    .withCallCredentials(GatewayChannels.bearer(token));
            final List<JobEvent> events = new CopyOnWriteArrayList<>();
            final AtomicReference<Throwable> ended = new AtomicReference<>();
            JobServiceGrpc.newStub(channel).withCallCredentials(GatewayChannels.bearer(token))
                    .watchJobEvents(WatchRequest.getDefaultInstance(), GatewayFixture.collect(events, ended));
            await().atMost(Duration.ofSeconds(30)).until(() -> !events.isEmpty());

            final String before = jobs.scheduleJob(ScheduleJobRequest.newBuilder()
                    .setJob(cron(unique("job"), node, "0 6 * * *")).build()).getJobId();
            await().atMost(Duration.ofSeconds(30)).until(() -> !decided(events, before).isEmpty());
            final String lastToken = events.get(events.size() - 1).getResumeToken();

            first.close(); // the replica this client was on (pick_first: the first listed)
            firstClosed = true;
            // Reads go on at once, answered by the second replica (which has read everything the first had).
            assertThat(jobs.getJob(GetJobRequest.newBuilder().setId(before).build()).getSpec().getId())
                    .isEqualTo(before);
            await().atMost(Duration.ofSeconds(30)).until(() -> ended.get() != null);
            assertThat(Status.fromThrowable(ended.get()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);

            final List<JobEvent> resumed = new CopyOnWriteArrayList<>();
            JobServiceGrpc.newStub(channel).withCallCredentials(GatewayChannels.bearer(token)).watchJobEvents(
                    WatchRequest.newBuilder().setResumeToken(lastToken).build(), GatewayFixture.collect(resumed));
            final String after = jobs.scheduleJob(ScheduleJobRequest.newBuilder()
                    .setJob(cron(unique("job"), node, "0 7 * * *")).build()).getJobId();
            await().atMost(Duration.ofSeconds(30)).until(() -> !decided(resumed, after).isEmpty());
            assertThat(decided(resumed, after)).containsExactly(DecisionOutcome.ACCEPTED.name());
            assertThat(decided(resumed, before)).as("already seen before the failover").isEmpty();
        } catch (final StatusRuntimeException e) {
            throw new AssertionError("a call failed across the failover: " + e.getStatus(), e);
        } finally {
            channel.shutdownNow();
            second.close();
            if (!firstClosed) {
                first.close();
            }
        }
    }
}
