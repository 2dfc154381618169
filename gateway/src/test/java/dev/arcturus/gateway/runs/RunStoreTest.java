package dev.arcturus.gateway.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcturus.avro.RunState;
import dev.arcturus.avro.RunStatus;
import dev.arcturus.events.EventMetadatas;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    private static final TopicPartition P0 = new TopicPartition("runs.run.state.v1", 0);

    @TempDir
    Path dir;

    private static RunState run(final String runId, final String job, final String node, final String owner,
                                final Instant scheduled, final RunStatus status) {
        return RunState.newBuilder().setMetadata(EventMetadatas.newMetadata("test", CLOCK)).setRunId(runId)
                .setJobId(job).setNodeId(node).setOwnerId(owner).setScheduledAt(scheduled).setStatus(status)
                .setLastUpdated(scheduled).build();
    }

    private RunStore open(final String origin) {
        return RunStore.open(RunHistorySettings.in(dir), origin);
    }

    private static List<String> ids(final RunStore.Page page) {
        return page.runs().stream().map(RunState::getRunId).toList();
    }

    @Test
    void answersByRunJobNodeOwnerAndTimeNewestFirst() {
        try (RunStore store = open("c/t/1")) {
            store.apply(List.of(
                    change(run("r1", "job-a", "n1", "alice", T0.minusSeconds(300), RunStatus.COMPLETED)),
                    change(run("r2", "job-a", "n2", "alice", T0.minusSeconds(200), RunStatus.FAILED)),
                    change(run("r3", "job-b", "n1", "bob", T0.minusSeconds(100), RunStatus.EXECUTING))),
                    Map.of(P0, 3L));
            assertThat(store.get("r2")).map(RunState::getStatus).contains(RunStatus.FAILED);
            assertThat(store.get("nope")).isEmpty();
            assertThat(ids(store.query(RunQuery.all(10).byJob("job-a")))).containsExactly("r2", "r1");
            assertThat(ids(store.query(RunQuery.all(10).byNode("n1")))).containsExactly("r3", "r1");
            assertThat(ids(store.query(RunQuery.all(10).byOwner("bob")))).containsExactly("r3");
            assertThat(ids(store.query(RunQuery.all(10)))).containsExactly("r3", "r2", "r1");
            // [from, to): r2 is at to-100s, r1 exactly at from
            assertThat(ids(store.query(RunQuery.all(10).between(T0.minusSeconds(300), T0.minusSeconds(100)))))
                    .containsExactly("r2", "r1");
            assertThat(ids(store.query(RunQuery.all(10).byNode("n1").between(T0.minusSeconds(250), T0))))
                    .containsExactly("r3");
            final RunQuery failed = new RunQuery("", "", "", RunStatus.FAILED, Instant.MIN, Instant.MAX,
                    Optional.empty(), 10, r -> true);
            assertThat(ids(store.query(failed))).containsExactly("r2");
            final RunQuery invisible = new RunQuery("", "", "", null, Instant.MIN, Instant.MAX, Optional.empty(), 10,
                    r -> r.getOwnerId().equals("bob"));
            assertThat(ids(store.query(invisible))).containsExactly("r3");
        }
    }

    @Test
    void pagesWithoutGapsOrRepeatsWhileRunsArrive() {
        try (RunStore store = open("c/t/1")) {
            final List<RunStore.Change> changes = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                changes.add(change(run("r" + i, "job", "n" + (i % 3), "alice", T0.plusSeconds(i), RunStatus.COMPLETED)));
            }
            store.apply(changes, Map.of(P0, 25L));
            final List<String> seen = new ArrayList<>();
            RunStore.Page page = store.query(RunQuery.all(10).byJob("job"));
            seen.addAll(ids(page));
            // a newer run arriving between pages does not shift the pages already handed out
            store.apply(List.of(change(run("late", "job", "n0", "alice", T0.plusSeconds(999), RunStatus.SCHEDULED))),
                    Map.of(P0, 26L));
            while (page.next().isPresent()) {
                page = store.query(RunQuery.all(10).byJob("job").after(page.next().get()));
                seen.addAll(ids(page));
            }
            final List<String> expected = new ArrayList<>();
            for (int i = 24; i >= 0; i--) {
                expected.add("r" + i);
            }
            assertThat(seen).containsExactlyElementsOf(expected);
            assertThatThrownBy(() -> store.query(RunQuery.all(10).after("garbage")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aSparseFilterPagesThroughManyBatchesWithoutLosingARun() {
        try (RunStore store = open("c/t/1")) {
            final List<RunStore.Change> changes = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                changes.add(change(run("r" + i, "job", "n1", "alice", T0.plusSeconds(i),
                        i % 97 == 0 ? RunStatus.FAILED : RunStatus.COMPLETED)));
            }
            store.apply(changes, Map.of(P0, 1_000L));
            final RunQuery failed = new RunQuery("job", "", "", RunStatus.FAILED, Instant.MIN, Instant.MAX,
                    Optional.empty(), 3, r -> true);
            final List<String> seen = new ArrayList<>();
            RunStore.Page page = store.query(failed);
            seen.addAll(ids(page));
            while (page.next().isPresent()) {
                page = store.query(new RunQuery("job", "", "", RunStatus.FAILED, Instant.MIN, Instant.MAX,
                        page.next(), 3, r -> true));
                seen.addAll(ids(page));
            }
            final List<String> expected = new ArrayList<>();
            for (int i = 999; i >= 0; i--) {
                if (i % 97 == 0) {
                    expected.add("r" + i);
                }
            }
            assertThat(seen).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void anUpdateMovesItsIndexEntriesAndADeleteRemovesThem() {
        try (RunStore store = open("c/t/1")) {
            store.apply(List.of(change(run("r1", "job", "n1", "alice", T0, RunStatus.SCHEDULED))), Map.of(P0, 1L));
            // the same run re-owned (its job changed hands) and re-read twice in one batch
            store.apply(List.of(change(run("r1", "job", "n1", "bob", T0, RunStatus.EXECUTING)),
                    change(run("r1", "job", "n1", "bob", T0, RunStatus.COMPLETED))), Map.of(P0, 3L));
            assertThat(ids(store.query(RunQuery.all(10).byOwner("alice")))).isEmpty();
            assertThat(ids(store.query(RunQuery.all(10).byOwner("bob")))).containsExactly("r1");
            assertThat(store.get("r1")).map(RunState::getStatus).contains(RunStatus.COMPLETED);
            // moved in time: the entry at the old time is recognised as stale, never a second copy of the run
            store.apply(List.of(change(run("r1", "job", "n1", "bob", T0.plusSeconds(60), RunStatus.COMPLETED))),
                    Map.of(P0, 4L));
            assertThat(ids(store.query(RunQuery.all(10)))).containsExactly("r1");
            assertThat(ids(store.query(RunQuery.all(10).byJob("job").between(T0, T0.plusSeconds(1))))).isEmpty();
            store.apply(List.of(new RunStore.Change("r1", null)), Map.of(P0, 5L));
            assertThat(store.get("r1")).isEmpty();
            assertThat(ids(store.query(RunQuery.all(10)))).isEmpty();
            assertThat(ids(store.query(RunQuery.all(10).byNode("n1")))).isEmpty();
        }
    }

    @Test
    void expiryRemovesOldFinalRunsAndNeverAnOpenOne() {
        try (RunStore store = open("c/t/1")) {
            final Instant old = T0.minus(Duration.ofDays(100));
            store.apply(List.of(
                    change(run("old-done", "job", "n1", "alice", old, RunStatus.COMPLETED)),
                    change(run("old-open", "job", "n1", "alice", old.plusSeconds(1), RunStatus.EXECUTING)),
                    change(run("old-missed", "job", "n1", "alice", old.plusSeconds(2), RunStatus.MISSED)),
                    change(run("new-done", "job", "n1", "alice", T0.minusSeconds(60), RunStatus.COMPLETED))),
                    Map.of(P0, 4L));
            final Instant cutoff = T0.minus(Duration.ofDays(90));
            int removed = store.expire(cutoff, 1); // a budget of one entry per call: the sweep goes on where it stopped
            while (store.expiring()) {
                removed += store.expire(cutoff, 1);
            }
            assertThat(removed).isEqualTo(2);
            assertThat(ids(store.query(RunQuery.all(10)))).containsExactly("new-done", "old-open");
            assertThat(ids(store.query(RunQuery.all(10).byJob("job")))).containsExactly("new-done", "old-open");
            assertThat(store.get("old-done")).isEmpty();
        }
    }

    @Test
    void resumesFromItsOffsetsAndRebuildsForAnotherTopic() {
        try (RunStore store = open("c/t/1")) {
            store.apply(List.of(change(run("r1", "job", "n1", "alice", T0, RunStatus.COMPLETED))), Map.of(P0, 7L));
        }
        try (RunStore store = open("c/t/1")) {
            assertThat(store.positions()).containsExactlyEntriesOf(Map.of(P0, 7L));
            assertThat(store.get("r1")).isPresent();
        }
        try (RunStore store = open("c/t/2")) { // the topic was deleted and created again
            assertThat(store.positions()).isEmpty();
            assertThat(store.get("r1")).isEmpty();
        }
    }

    @Test
    void aBulkLoadedStoreAnswersLikeAnyOtherOnceTheLoadEnds() {
        try (RunStore store = open("c/t/1")) {
            store.startBulkLoad();
            assertThat(store.bulkLoading()).isTrue();
            final List<RunStore.Change> changes = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                changes.add(change(run("r" + i, "job-" + (i % 5), "n1", "alice", T0.plusSeconds(i),
                        RunStatus.COMPLETED)));
            }
            store.apply(changes.subList(0, 250), Map.of(P0, 250L));
            store.apply(changes.subList(250, 500), Map.of(P0, 500L));
            store.finishBulkLoad();
            assertThat(store.bulkLoading()).isFalse();
            assertThat(ids(store.query(RunQuery.all(3).byJob("job-2")))).containsExactly("r497", "r492", "r487");
            assertThat(store.positions()).containsExactlyEntriesOf(Map.of(P0, 500L));
        }
        try (RunStore store = open("c/t/1")) {
            assertThat(store.get("r123")).isPresent();
        }
    }

    @Test
    void aTemporaryStoreLeavesNothingBehind() {
        final Path where;
        try (RunStore store = RunStore.open(RunHistorySettings.ephemeral(), "c/t/1")) {
            where = store.directory();
            store.apply(List.of(change(run("r1", "job", "n1", "alice", T0, RunStatus.COMPLETED))), Map.of(P0, 1L));
        }
        assertThat(where).doesNotExist();
    }

    private static RunStore.Change change(final RunState run) {
        return new RunStore.Change(run.getRunId(), run);
    }
}
