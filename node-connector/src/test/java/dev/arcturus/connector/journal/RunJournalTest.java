package dev.arcturus.connector.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import dev.arcturus.connector.link.Backoff;
import dev.arcturus.gateway.api.v1.RunStatus;
import dev.arcturus.gateway.api.v1.UpdateRunRequest;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's journal and outbox: nothing a crash or an outage can lose, nothing the plane must not see twice. */
class RunJournalTest {
    private static final Instant AT = Instant.parse("2027-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private static UpdateRunRequest update(final String runId, final RunStatus status, final Instant scheduledAt) {
        return UpdateRunRequest.newBuilder().setRunId(runId).setJobId("job").setNodeId("n1").setStatus(status)
                .setScheduledAt(Timestamp.newBuilder().setSeconds(scheduledAt.getEpochSecond())).build();
    }

    /** A plane that can be cut, records what it accepted, and publishes artifacts as "blob:<dir>". */
    static final class FakePlane implements RunOutbox.Plane {
        final List<UpdateRunRequest> accepted = new CopyOnWriteArrayList<>();
        final AtomicBoolean reachable = new AtomicBoolean(true);
        final AtomicReference<Status> refuse = new AtomicReference<>();

        @Override
        public void updateRun(final UpdateRunRequest update) {
            if (!reachable.get()) {
                throw Status.UNAVAILABLE.withDescription("link down").asRuntimeException();
            }
            if (refuse.get() != null) {
                throw refuse.get().asRuntimeException();
            }
            accepted.add(update);
        }

        @Override
        public String publishArtifact(final UpdateRunRequest update, final Path runDir) {
            if (!reachable.get()) {
                throw new IllegalStateException("blob store unreachable");
            }
            return "blob:" + runDir.getFileName();
        }
    }

    private RunOutbox outbox(final RunJournal journal, final FakePlane plane, final List<String> rejected) {
        return new RunOutbox("n1", journal, plane, new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)),
                update -> { }, rejected::add).start();
    }

    @Test
    void shouldKeepAnUpdateFsyncedBeforeACrashAndDeliverItAfterTheRestart() {
        final RunJournal before = RunJournal.open(dir);
        before.append(update("r1", RunStatus.DEPLOYING, AT), "");
        before.append(update("r1", RunStatus.COMPLETED, AT), dir.resolve("r1").toString());
        before.close(); // the crash: appended and forced, never sent

        final RunJournal after = RunJournal.open(dir);
        assertThat(after.pendingCount()).isEqualTo(2);
        assertThat(after.lastStatus("r1")).contains(RunStatus.COMPLETED);
        final FakePlane plane = new FakePlane();
        try (RunOutbox outbox = outbox(after, plane, new CopyOnWriteArrayList<>())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> outbox.pending() == 0);
        }
        assertThat(plane.accepted).extracting(UpdateRunRequest::getStatus)
                .containsExactly(RunStatus.DEPLOYING, RunStatus.COMPLETED);
        assertThat(plane.accepted.get(1).getArtifactUrl()).isEqualTo("blob:r1");
    }

    @Test
    void shouldRedeliverWhatWasSentButNotAcknowledgedAndForgetWhatWas() {
        final RunJournal journal = RunJournal.open(dir);
        final RunJournal.Pending sent = journal.append(update("r1", RunStatus.COMPLETED, AT), "");
        journal.append(update("r2", RunStatus.COMPLETED, AT.plusSeconds(60)), "");
        journal.acknowledge(sent.seq()); // r1 acknowledged; r2 delivered but the crash came before its ack
        journal.close();

        final RunJournal reopened = RunJournal.open(dir);
        assertThat(reopened.pending()).extracting(p -> p.update().getRunId()).containsExactly("r2");
        assertThat(reopened.lastStatus("r1")).contains(RunStatus.COMPLETED);
        assertThat(reopened.cursor("job")).contains(AT.plusSeconds(60));
        reopened.close();
    }

    @Test
    void shouldHoldReportsThroughAnOutageAndDeliverThemInOrderWhenTheLinkReturns() {
        final FakePlane plane = new FakePlane();
        plane.reachable.set(false);
        try (RunOutbox outbox = outbox(RunJournal.open(dir), plane, new CopyOnWriteArrayList<>())) {
            for (int i = 0; i < 5; i++) {
                outbox.report(update("r" + i, RunStatus.DEPLOYING, AT.plusSeconds(i)));
                outbox.finish(update("r" + i, RunStatus.COMPLETED, AT.plusSeconds(i)), dir.resolve("r" + i));
            }
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> outbox.pending() == 10);
            plane.reachable.set(true);
            outbox.linkRestored();
            await().atMost(Duration.ofSeconds(5)).until(() -> outbox.pending() == 0);
        }
        assertThat(plane.accepted).hasSize(10);
        for (int i = 0; i < 5; i++) {
            assertThat(plane.accepted.get(2 * i).getRunId()).isEqualTo("r" + i);
            assertThat(plane.accepted.get(2 * i + 1).getArtifactUrl()).isEqualTo("blob:r" + i);
        }
    }

    @Test
    void shouldStopOnARejectedTokenAndDropWhatThePlaneRefusesForGood() {
        final FakePlane plane = new FakePlane();
        plane.refuse.set(Status.NOT_FOUND.withDescription("job deleted"));
        final List<String> rejected = new CopyOnWriteArrayList<>();
        final RunJournal journal = RunJournal.open(dir);
        try (RunOutbox outbox = outbox(journal, plane, rejected)) {
            outbox.report(update("gone", RunStatus.COMPLETED, AT));
            await().atMost(Duration.ofSeconds(5)).until(() -> outbox.pending() == 0);
            plane.refuse.set(Status.UNAUTHENTICATED.withDescription("token revoked"));
            outbox.report(update("r1", RunStatus.COMPLETED, AT));
            await().atMost(Duration.ofSeconds(5)).until(() -> !rejected.isEmpty());
            assertThat(rejected.get(0)).contains("token revoked");
            assertThat(outbox.pending()).isEqualTo(1); // kept: a new token delivers it
        }
        assertThat(plane.accepted).isEmpty();
    }

    @Test
    void shouldPruneAcknowledgedUpdatesButKeepEachJobsCursor() throws IOException {
        final RunJournal journal = RunJournal.open(dir);
        final Instant old = Instant.now().minus(Duration.ofDays(30));
        for (int i = 0; i < 300; i++) {
            journal.acknowledge(journal.append(update("old-" + i, RunStatus.COMPLETED, old.plusSeconds(i)), "").seq());
        }
        final RunJournal.Pending waiting = journal.append(update("new", RunStatus.EXECUTING, Instant.now()).toBuilder()
                .setJobId("other").build(), "");
        journal.compact(Instant.now());
        final long compacted = Files.size(dir.resolve("runs.journal"));
        journal.close();

        final RunJournal reopened = RunJournal.open(dir);
        assertThat(reopened.pending()).extracting(RunJournal.Pending::seq).containsExactly(waiting.seq());
        assertThat(reopened.lastStatus("old-0")).isEmpty(); // pruned: older than the retention
        assertThat(reopened.lastStatus("old-299")).contains(RunStatus.COMPLETED); // the job's latest stays
        assertThat(reopened.unfinished()).extracting(RunJournal.Known::runId).containsExactly("new");
        assertThat(compacted).isLessThan(1_000);
        reopened.close();
    }

    @Test
    void shouldRefuseASecondAgentOnTheSameJournal() {
        try (RunJournal first = RunJournal.open(dir)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunJournal.open(dir))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("held by another agent");
            first.append(update("r1", RunStatus.COMPLETED, AT), "");
        }
        assertThat(RunJournal.open(dir).pendingCount()).isEqualTo(1);
    }

    @Test
    void shouldCutATornTailAndKeepEverythingBeforeIt() throws IOException {
        final RunJournal journal = RunJournal.open(dir);
        journal.append(update("r1", RunStatus.COMPLETED, AT), "");
        journal.close();
        // A crash in the middle of the next append: a frame header promising more bytes than were written.
        Files.write(dir.resolve("runs.journal"), new byte[] {0, 0, 1, 0, 1, 2, 3}, StandardOpenOption.APPEND);

        final RunJournal reopened = RunJournal.open(dir);
        assertThat(reopened.pending()).extracting(p -> p.update().getRunId()).containsExactly("r1");
        reopened.append(update("r2", RunStatus.COMPLETED, AT), "");
        reopened.close();
        assertThat(RunJournal.open(dir).pending()).extracting(p -> p.update().getRunId()).containsExactly("r1", "r2");
    }
}
