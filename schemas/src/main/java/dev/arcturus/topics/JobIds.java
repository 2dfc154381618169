package dev.arcturus.topics;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Job ids the plane makes up when a client leaves the id to it. Each is chosen so that the job and the node it runs
 * on land in the same partition of admission's co-partitioned topics: admission then decides the job in one EOS hop
 * (streams-apps admission/DESIGN.md, "One hop"). A client-chosen id is as valid, and lands where its hash says.
 */
public final class JobIds {
    /** Minted ids start with this, so they are told from names people choose. */
    public static final String PREFIX = "job-";

    private JobIds() {
    }

    /** A fresh id for a job on {@code nodeId}, in that node's partition (expected tries: the partition count). */
    public static String mintFor(final String nodeId, final RandomGenerator random) {
        final int wanted = TopicCatalog.ADMISSION_NODE_STEP.partitionOf(nodeId);
        while (true) {
            final String id = PREFIX + Long.toHexString(random.nextLong() | Long.MIN_VALUE).toLowerCase(Locale.ROOT);
            if (TopicCatalog.JOB_COMMAND.partitionOf(id) == wanted) {
                return id;
            }
        }
    }

    /** Whether admission can decide a job with this id on this node without leaving the task (same partition). */
    public static boolean coPartitioned(final String jobId, final String nodeId) {
        return TopicCatalog.JOB_COMMAND.partitionOf(jobId) == TopicCatalog.ADMISSION_NODE_STEP.partitionOf(nodeId);
    }
}
