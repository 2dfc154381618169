package dev.arcturus.launcher.chaos;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

/** What the broker says about an app's consumer group: its state and members. */
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
}
