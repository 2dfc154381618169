package dev.arcturus.tools.chaos;

import dev.arcturus.avro.RunState;
import dev.arcturus.avro.RunStatus;
import dev.arcturus.tools.fleet.SyntheticFleet;
import dev.arcturus.topics.TopicCatalog;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Runs as nodes report them: a cohort of runs starts each tick and every run moves through five statuses, one per
 * tick, so at any moment runs are in flight (a fault always cuts some of them in two). A run that ends
 * {@link #complete} applied every one of its updates.
 */
final class RunCohorts {
    static final List<RunStatus> LIFE = List.of(RunStatus.SCHEDULED, RunStatus.DEPLOYING, RunStatus.EXECUTING,
            RunStatus.FINISHING, RunStatus.COMPLETED);

    private final LongUnaryOperator firstRunOfCohort;
    private final int nodes;
    private final AtomicLong cohorts = new AtomicLong();
    private final AtomicLong updatesSent = new AtomicLong();
    private volatile boolean starting = true;

    /** {@code firstRunOfCohort(k)} numbers the runs: cohort k is runs {@code [f(k), f(k + 1))}. */
    RunCohorts(final LongUnaryOperator firstRunOfCohort, final int nodes) {
        this.firstRunOfCohort = firstRunOfCohort;
        this.nodes = nodes;
    }

    /**
     * Starts cohort {@code tick} (until {@link #stopStarting}) and sends the next status of every live cohort. Ticks
     * must count from 0 without gaps: cohort k starts at tick k, so its age at tick t is t - k.
     */
    void sendTick(final KafkaProducer<String, SpecificRecord> producer, final long tick) {
        if (starting) {
            cohorts.incrementAndGet();
        }
        for (int age = 0; age < LIFE.size(); age++) {
            final long cohort = tick - age;
            if (cohort < 0 || cohort >= cohorts.get()) {
                continue;
            }
            for (long r = firstRunOfCohort.applyAsLong(cohort); r < firstRunOfCohort.applyAsLong(cohort + 1); r++) {
                final String runId = "run-" + r;
                producer.send(new ProducerRecord<>(TopicCatalog.RUN_UPDATE.name(), runId, ChaosRecords.runUpdate(
                        runId, SyntheticFleet.nodeId(r % nodes), Instant.EPOCH.plusSeconds(r), LIFE.get(age))));
                updatesSent.incrementAndGet();
            }
        }
    }

    /** No new cohorts; the ones alive still finish over the next {@code LIFE.size()} ticks. */
    void stopStarting() {
        starting = false;
    }

    long runsStarted() {
        return firstRunOfCohort.applyAsLong(cohorts.get());
    }

    long updatesSent() {
        return updatesSent.get();
    }

    /** Runs whose latest state on the run-state topic is complete. */
    static long completed(final TopicTail<RunState> runStates) {
        return runStates.latestByKey().values().stream().filter(RunCohorts::complete).count();
    }

    static boolean complete(final RunState state) {
        return state.getStatus() == RunStatus.COMPLETED && state.getUpdateCount() == LIFE.size();
    }
}
