package dev.arcturus.tools.chaos;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/** What the broker says about an app's consumer group: its state, members and lag. */
final class ConsumerGroups {
    private ConsumerGroups() {
    }

    /** Members of a STABLE group, or -1 while it rebalances (or cannot be described). */
    static int stableMembers(final Admin admin, final String group) {
        try {
            final ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                    .describedGroups().get(group).get(5, TimeUnit.SECONDS);
            return description.groupState() == GroupState.STABLE ? description.members().size() : -1;
        } catch (final ExecutionException | TimeoutException e) {
            return -1;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Waits until the group is STABLE with {@code members} members; returns when, in epoch millis. */
    static long awaitStable(final Admin admin, final String group, final int members, final Duration timeout)
            throws InterruptedException {
        awaitStable(admin, group, n -> n == members, timeout);
        return System.currentTimeMillis();
    }

    /** Waits until the group is STABLE with a member count {@code wanted} accepts; returns that count. */
    static int awaitStable(final Admin admin, final String group, final java.util.function.IntPredicate wanted,
                           final Duration timeout) throws InterruptedException {
        final int[] members = {-1};
        if (!Waits.until(() -> wanted.test(members[0] = stableMembers(admin, group)), timeout)) {
            throw new IllegalStateException("group " + group + " not STABLE with the expected members within "
                    + timeout + " (now " + members[0] + ")");
        }
        return members[0];
    }

    /**
     * Records the group has yet to consume: the distance from its committed offsets to the end of each partition it
     * reads (the last stable offset, so open transactions don't count as lag).
     */
    static long lag(final Admin admin, final String group) throws Exception {
        final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        final Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        committed.keySet().forEach(partition -> ends.put(partition, OffsetSpec.latest()));
        final var latest = admin.listOffsets(ends, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(10, TimeUnit.SECONDS);
        long lag = 0;
        for (final var entry : committed.entrySet()) {
            if (entry.getValue() != null) {
                lag += Math.max(0, latest.get(entry.getKey()).offset() - entry.getValue().offset());
            }
        }
        return lag;
    }
}
