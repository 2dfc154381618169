package dev.arcturus.launcher.chaos;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

/** What the broker says about an app's consumer group: members, state and lag. */
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
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (stableMembers(admin, group) != members) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("group " + group + " not STABLE with " + members + " members within "
                        + timeout + " (now " + stableMembers(admin, group) + ")");
            }
            Thread.sleep(100);
        }
        return System.currentTimeMillis();
    }

    /** Records the group has yet to consume, summed over its committed partitions (input topics only). */
    static long lag(final Admin admin, final String group) throws Exception {
        final var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        final var request = new java.util.HashMap<TopicPartition, OffsetSpec>();
        committed.keySet().forEach(partition -> request.put(partition, OffsetSpec.latest()));
        final var ends = admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
        long lag = 0;
        for (final var entry : committed.entrySet()) {
            final OffsetAndMetadata offset = entry.getValue();
            final ListOffsetsResult.ListOffsetsResultInfo end = ends.get(entry.getKey());
            if (offset != null && end != null) {
                lag += Math.max(0, end.offset() - offset.offset());
            }
        }
        return lag;
    }
}
