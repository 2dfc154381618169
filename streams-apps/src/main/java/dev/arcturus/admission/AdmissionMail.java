package dev.arcturus.admission;

import dev.arcturus.avro.AdmissionResult;
import dev.arcturus.avro.AdmissionStep;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.avro.specific.SpecificRecord;
import dev.arcturus.topics.Topic;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * How the two halves of admission talk: a step for a node and a verdict for a job go through their internal topic
 * only when another task owns the key. A key this task owns (its partition of the co-partitioned admission topics) is
 * delivered in process, in the same transaction, after the message being handled is done — exactly what the topic
 * would deliver next, without a commit, a produce and a fetch in between. So a job whose id and node share a
 * partition is decided in one EOS hop (DESIGN.md, "One hop").
 *
 * <p>Ownership is static (a key's partition never changes while the partition count stays), so every message from
 * this task to a given key takes the same route, and per-key order between a sender and a receiver is kept.
 */
final class AdmissionMail {
    private final ProcessorContext<String, SpecificRecord> context;
    private final Topic<?> partitioning;
    private final Deque<Runnable> local = new ArrayDeque<>();
    private JobRouter router;
    private NodeCalendars calendars;
    private long deliveredLocally;
    private long sentThroughKafka;

    AdmissionMail(final ProcessorContext<String, SpecificRecord> context, final Topic<?> partitioning) {
        this.context = context;
        this.partitioning = partitioning;
    }

    void connect(final JobRouter router, final NodeCalendars calendars) {
        this.router = router;
        this.calendars = calendars;
    }

    /** Whether this task reads the key's partition of the (co-partitioned) admission topics. */
    boolean ownsKey(final String key) {
        return partitioning.partitionOf(key) == context.taskId().partition();
    }

    void step(final String nodeId, final AdmissionStep step) {
        if (ownsKey(nodeId)) {
            deliveredLocally++;
            local.add(() -> calendars.onStep(nodeId, step));
        } else {
            sentThroughKafka++;
            context.forward(new Record<>(nodeId, (SpecificRecord) step, context.currentSystemTimeMs()),
                    AdmissionStores.STEP_SINK);
        }
    }

    void result(final String jobId, final AdmissionResult result) {
        if (ownsKey(jobId)) {
            deliveredLocally++;
            local.add(() -> router.onResult(result));
        } else {
            sentThroughKafka++;
            context.forward(new Record<>(jobId, (SpecificRecord) result, context.currentSystemTimeMs()),
                    AdmissionStores.RESULT_SINK);
        }
    }

    /** Handles the local messages the last one produced, and theirs, until none is left. */
    void deliver() {
        Runnable next;
        while ((next = local.poll()) != null) {
            next.run();
        }
    }

    long deliveredLocally() {
        return deliveredLocally;
    }

    long sentThroughKafka() {
        return sentThroughKafka;
    }
}
