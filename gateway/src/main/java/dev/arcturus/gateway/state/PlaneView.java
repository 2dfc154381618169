package dev.arcturus.gateway.state;

import dev.arcturus.avro.JobState;
import dev.arcturus.avro.RunState;
import dev.arcturus.avro.User;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.gateway.follow.TopicFollower;
import dev.arcturus.gateway.runs.RunHistorySettings;
import dev.arcturus.gateway.runs.RunOrigin;
import dev.arcturus.gateway.runs.RunStore;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.scheduling.runs.RunLifecycle;
import dev.arcturus.topics.AnyRecordSerdes;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's read model: every compacted state topic it serves from, replayed from the beginning and then
 * followed. Each gateway instance holds the whole view (no consumer group), so any instance answers any read, and a
 * revoked token stops working on every instance as soon as each has read the revocation (milliseconds).
 *
 * <p>Entities whose number stays bounded by the fleet (users, nodes, jobs, tasks, config, paths) are kept in memory;
 * runs, which grow with every occurrence for years, go to the on-disk {@link RunStore}, which resumes from its own
 * offsets after a restart and keeps only the hot window of final runs.
 *
 * <p>{@link #awaitPosition} gives read-your-writes: after producing a record, a handler waits until this view has
 * consumed past its offset before answering.
 */
public final class PlaneView implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PlaneView.class);

    /** The state topics the gateway reads; of placement's action events, the latest per job (the dashboard's). */
    public static final List<Topic<?>> TOPICS = List.of(TopicCatalog.USER, TopicCatalog.NODE_REGISTRATION,
            TopicCatalog.NODE_LIVENESS, TopicCatalog.JOB_STATE, TopicCatalog.RUN_STATE, TopicCatalog.TASK,
            TopicCatalog.GLOBAL_CONFIG, TopicCatalog.DOMAIN_ORIGIN, TopicCatalog.PATH_SELECTION,
            TopicCatalog.PLACEMENT_ACTION);

    private final Map<String, Topic<?>> topicsByName = new HashMap<>();
    private final Map<String, Deserializer<SpecificRecord>> decoders = new HashMap<>();
    private final Map<String, ConcurrentHashMap<String, SpecificRecord>> entities = new HashMap<>();
    private final Map<String, String> userIdByTokenHash = new ConcurrentHashMap<>();
    private static final Duration EXPIRY_INTERVAL = Duration.ofMinutes(10);
    private static final int EXPIRY_BUDGET = 10_000;

    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private Map<TopicPartition, Long> storedRunPositions = Map.of();
    private final List<ViewListener> listeners = new CopyOnWriteArrayList<>();
    private final TopicFollower follower;
    private final Map<TopicPartition, Long> initialEnds;
    private final Thread thread;
    private final Object progress = new Object();
    private final RunStore runs;
    private final RunHistorySettings runHistory;
    private final Clock clock;
    private final List<PendingRun> pendingRuns = new ArrayList<>();
    private static final Runnable STOP_WRITER = () -> { };
    private final BlockingQueue<Runnable> storeQueue = new ArrayBlockingQueue<>(8);
    private final Thread storeWriter;
    private Instant nextExpiry = Instant.MIN;
    private int expiredThisSweep;

    /** A run record read in the current poll, applied to the store (and announced) when the poll is done. */
    private record PendingRun(String runId, RunState value, RunStore.Change change) {
    }

    /** A change seen by the view: the new value, or null when the entity was deleted. */
    @FunctionalInterface
    public interface ViewListener {
        void changed(Topic<?> topic, String key, SpecificRecord value);
    }

    private PlaneView(final PlaneEndpoints endpoints, final List<Topic<?>> topics,
                      final RunHistorySettings runHistory, final Clock clock) {
        this.runHistory = runHistory;
        this.clock = clock;
        final SchemaRegistryClient registry = endpoints.registryClient();
        for (final Topic<?> topic : topics) {
            topicsByName.put(topic.name(), topic);
            decoders.put(topic.name(), AnyRecordSerdes.deserializer(topic, registry));
            if (!topic.name().equals(TopicCatalog.RUN_STATE.name())) {
                entities.put(topic.name(), new ConcurrentHashMap<>());
            }
        }
        follower = TopicFollower.open("gateway-plane-view", endpoints,
                topics.stream().map(Topic::name).toList(), 500);
        runs = topicsByName.containsKey(TopicCatalog.RUN_STATE.name())
                ? RunStore.open(runHistory, RunOrigin.of(endpoints, TopicCatalog.RUN_STATE.name())) : null;
        follower.from(runs == null ? Map.of() : resumableRunPositions());
        initialEnds = follower.endOffsets();
        initialEnds.keySet().forEach(p -> positions.put(p, 0L));
        thread = new Thread(this::run, "gateway-plane-view");
        thread.setDaemon(true);
        storeWriter = new Thread(this::writeRuns, "gateway-run-history");
        storeWriter.setDaemon(true);
    }

    /**
     * Where the run store left off, if the topic still has it (same partitions, offsets within the log); otherwise
     * the store is dropped and rebuilt from the beginning.
     */
    private Map<TopicPartition, Long> resumableRunPositions() {
        final Map<TopicPartition, Long> stored = runs.positions();
        if (stored.isEmpty()) {
            runs.startBulkLoad();
            return stored;
        }
        final List<TopicPartition> partitions = follower.partitionsOf(TopicCatalog.RUN_STATE.name());
        final Map<TopicPartition, Long> beginnings = follower.beginningOffsets();
        final Map<TopicPartition, Long> ends = follower.endOffsets();
        final boolean resumable = stored.keySet().equals(Set.copyOf(partitions)) && partitions.stream()
                .allMatch(p -> stored.get(p) >= beginnings.get(p) && stored.get(p) <= ends.get(p));
        if (!resumable) {
            log.info("Run history in {} does not match {} any more (stored offsets {}, log {}..{}); rebuilding it",
                    runs.directory(), TopicCatalog.RUN_STATE.name(), stored, beginnings, ends);
            runs.reset();
            runs.startBulkLoad();
            return Map.of();
        }
        log.info("Run history in {} resumes at {}", runs.directory(), stored);
        return stored;
    }

    /** Starts following the topics and returns once everything present at start has been read. */
    public static PlaneView start(final PlaneEndpoints endpoints, final List<Topic<?>> topics, final Duration timeout) {
        return start(endpoints, topics, RunHistorySettings.ephemeral(), Clock.systemUTC(), timeout);
    }

    /** As {@link #start(PlaneEndpoints, List, Duration)}, keeping run history as {@code runHistory} says. */
    public static PlaneView start(final PlaneEndpoints endpoints, final List<Topic<?>> topics,
                                  final RunHistorySettings runHistory, final Clock clock, final Duration timeout) {
        final PlaneView view = new PlaneView(endpoints, topics, runHistory, clock);
        view.storeWriter.start();
        view.thread.start();
        for (final Map.Entry<TopicPartition, Long> end : view.initialEnds.entrySet()) {
            if (!view.awaitPosition(end.getKey(), end.getValue(), timeout)) {
                view.close();
                throw new IllegalStateException("the gateway's view did not load " + end.getKey() + " within " + timeout);
            }
        }
        if (view.runs != null && view.runs.bulkLoading()) {
            view.finishBulkLoad(timeout);
        }
        log.info("Gateway view loaded: {}", view.sizes());
        return view;
    }

    /** Ends the bulk load on the store's own writer thread, so no write runs while the store is reopened. */
    private void finishBulkLoad(final Duration timeout) {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            storeQueue.put(() -> {
                try {
                    runs.finishBulkLoad();
                    done.complete(null);
                } catch (final RuntimeException e) {
                    done.completeExceptionally(e);
                    throw e;
                }
            });
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted finishing the run history's load", e);
        } catch (final ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException("the run history's load did not finish", e);
        }
    }

    private void run() {
        try {
            follower.run(this::apply, reached -> {
                if (runs == null) {
                    publish(reached);
                    return;
                }
                // The store is written on its own thread, so decoding the next poll overlaps writing this one;
                // positions are published only after the runs they cover are written.
                final List<PendingRun> polled = List.copyOf(pendingRuns);
                pendingRuns.clear();
                final Map<TopicPartition, Long> snapshot = Map.copyOf(reached);
                try {
                    storeQueue.put(() -> {
                        storeRuns(polled, snapshot);
                        publish(snapshot);
                    });
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    follower.close();
                }
            });
        } catch (final RuntimeException e) {
            log.error("Gateway view stopped unexpectedly", e);
        }
    }

    private void publish(final Map<TopicPartition, Long> reached) {
        synchronized (progress) {
            positions.putAll(reached);
            progress.notifyAll();
        }
    }

    /** The store's one writer: applies each poll's runs in order until {@link #STOP_WRITER}. */
    private void writeRuns() {
        try {
            for (Runnable next = storeQueue.take(); next != STOP_WRITER; next = storeQueue.take()) {
                next.run();
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException e) {
            // Positions stop moving, so health reports the view behind (NOT_SERVING) until a restart rebuilds.
            log.error("Gateway run history stopped: cannot write to {}", runs.directory(), e);
        }
    }

    private void apply(final ConsumerRecord<byte[], byte[]> record) {
        final String key = TopicFollower.key(record);
        if (key == null) {
            return;
        }
        final Optional<SpecificRecord> decoded = TopicFollower.decode(decoders.get(record.topic()), record);
        if (record.value() != null && decoded.isEmpty()) {
            return; // undecodable: logged and skipped, the entity keeps its last good value
        }
        final SpecificRecord value = decoded.orElse(null);
        if (record.topic().equals(TopicCatalog.RUN_STATE.name())) {
            // Encoded and indexed here, on the thread that decodes, so the store's writer only writes.
            final RunState run = (RunState) value;
            final boolean expired = run != null && RunLifecycle.isFinal(run.getStatus())
                    && run.getScheduledAt().isBefore(clock.instant().minus(runHistory.hotWindow()));
            // A final run already past the hot window is not stored: only the archive (the sinks) keeps it.
            pendingRuns.add(new PendingRun(key, run, new RunStore.Change(key, expired ? null : run)));
            return;
        }
        final Map<String, SpecificRecord> map = entities.get(record.topic());
        if (value instanceof JobState job) {
            map.compute(key, (k, present) -> newerJob(present, job)); // never behind a state shown from a decision
        } else {
            final SpecificRecord previous = value == null ? map.remove(key) : map.put(key, value);
            if (record.topic().equals(TopicCatalog.USER.name())) {
                indexToken((User) previous, (User) value);
            }
        }
        final Topic<?> topic = topicsByName.get(record.topic());
        for (final ViewListener listener : listeners) {
            listener.changed(topic, key, value);
        }
    }

    /**
     * Writes the poll's runs with the offsets they reach in one batch, then announces them (so a listener that reads
     * the store sees what it was told), then goes on with any expiry sweep that is due.
     */
    private void storeRuns(final List<PendingRun> polled, final Map<TopicPartition, Long> reached) {
        final Instant cutoff = clock.instant().minus(runHistory.hotWindow());
        final List<RunStore.Change> changes = new ArrayList<>(polled.size());
        for (final PendingRun run : polled) {
            changes.add(run.change());
        }
        final Map<TopicPartition, Long> runPositions = new HashMap<>();
        reached.forEach((partition, offset) -> {
            if (partition.topic().equals(TopicCatalog.RUN_STATE.name())) {
                runPositions.put(partition, offset);
            }
        });
        if (!changes.isEmpty() || !runPositions.equals(storedRunPositions)) {
            runs.apply(changes, runPositions);
            storedRunPositions = runPositions;
        }
        final Topic<?> topic = topicsByName.get(TopicCatalog.RUN_STATE.name());
        for (final PendingRun run : polled) {
            for (final ViewListener listener : listeners) {
                listener.changed(topic, run.runId(), run.value());
            }
        }
        expireRuns(cutoff);
    }

    private void expireRuns(final Instant cutoff) {
        if (runs.bulkLoading()) {
            return; // a sweep would scan an unsorted memtable; the load itself stores no expired run
        }
        final Instant now = clock.instant();
        if (!runs.expiring() && now.isBefore(nextExpiry)) {
            return;
        }
        expiredThisSweep += runs.expire(cutoff, EXPIRY_BUDGET);
        if (!runs.expiring()) {
            if (expiredThisSweep > 0) {
                log.info("Run history: {} final runs scheduled before {} left the hot window ({})", expiredThisSweep,
                        cutoff, runHistory.hotWindow());
            }
            expiredThisSweep = 0;
            nextExpiry = now.plus(EXPIRY_INTERVAL);
        }
    }

    private void indexToken(final User previous, final User current) {
        if (previous != null && previous.getTokenHash() != null) {
            userIdByTokenHash.remove(previous.getTokenHash(), previous.getUserId());
        }
        if (current != null && current.getTokenHash() != null) {
            userIdByTokenHash.put(current.getTokenHash(), current.getUserId());
        }
    }

    /** Waits until the view has read every record before {@code nextOffset} of the partition. */
    public boolean awaitPosition(final TopicPartition partition, final long nextOffset, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (positions.getOrDefault(partition, 0L) < nextOffset) {
                final long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMs <= 0) {
                    return false;
                }
                try {
                    progress.wait(remainingMs);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Waits until the entity satisfies {@code condition} (which sees null for an absent entity) and returns it as it
     * then is; empty if the condition does not hold within the timeout or holds for an absent entity.
     */
    public <V extends SpecificRecord> Optional<V> awaitEntity(final Topic<V> topic, final String key,
                                                              final Predicate<V> condition, final Duration timeout) {
        final CompletableFuture<V> reached = new CompletableFuture<>();
        final ViewListener listener = (changedTopic, changedKey, value) -> {
            if (changedTopic.name().equals(topic.name()) && key.equals(changedKey)) {
                final V typed = value == null ? null : topic.valueClass().cast(value);
                if (condition.test(typed)) {
                    reached.complete(typed);
                }
            }
        };
        addListener(listener);
        try {
            final V now = get(topic, key).orElse(null);
            if (condition.test(now)) {
                return Optional.ofNullable(now);
            }
            return Optional.ofNullable(reached.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (final TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            removeListener(listener);
        }
    }

    /**
     * Shows a job state this gateway has just read on an accepted decision, before the state topic brings it: the
     * decision and the state record commit in one transaction, so the state is certain, and the caller's next read
     * on this gateway sees its own write. Listeners are not told (the topic's copy tells them, once). Applied only
     * over an older version of the job or none; returns whether it was (a job deleted and scheduled again while the
     * view still holds the earlier one's higher version waits for the topic instead).
     */
    public boolean showDecided(final JobState state) {
        final Map<String, SpecificRecord> jobs = entities.get(TopicCatalog.JOB_STATE.name());
        return jobs.compute(state.getJobId(), (k, present) -> newerJob(present, state)) == state;
    }

    /**
     * A job's versions only grow while it exists, so an older record (the topic's copy of a state already shown
     * from its decision) never replaces a newer one. A deletion is a tombstone and always applies.
     */
    private static SpecificRecord newerJob(final SpecificRecord present, final JobState incoming) {
        return present instanceof JobState shown && shown.getVersion() > incoming.getVersion() ? present : incoming;
    }

    /** Every partition the view follows. */
    public Set<TopicPartition> partitions() {
        return Set.copyOf(initialEnds.keySet());
    }

    /** How far the view has read each partition (next offset), now. */
    public Map<TopicPartition, Long> positions() {
        return Map.copyOf(positions);
    }

    public boolean follows(final String topic) {
        return topicsByName.containsKey(topic);
    }

    public <V extends SpecificRecord> Optional<V> get(final Topic<V> topic, final String key) {
        if (topic.name().equals(TopicCatalog.RUN_STATE.name())) {
            return runs().get(key).map(topic.valueClass()::cast);
        }
        return Optional.ofNullable(entities.get(topic.name()).get(key)).map(topic.valueClass()::cast);
    }

    /** Every entity of a topic kept in memory; runs are searched through {@link #runs()} instead. */
    public <V extends SpecificRecord> Collection<V> all(final Topic<V> topic) {
        if (topic.name().equals(TopicCatalog.RUN_STATE.name())) {
            throw new IllegalArgumentException("runs are not listed whole: query them through runs()");
        }
        return entities.get(topic.name()).values().stream().map(topic.valueClass()::cast).toList();
    }

    /** Run history (on disk). */
    public RunStore runs() {
        if (runs == null) {
            throw new IllegalStateException("this view does not follow " + TopicCatalog.RUN_STATE.name());
        }
        return runs;
    }

    public Optional<String> userIdByTokenHash(final String tokenHash) {
        return Optional.ofNullable(userIdByTokenHash.get(tokenHash));
    }

    public void addListener(final ViewListener listener) {
        listeners.add(listener);
    }

    public void removeListener(final ViewListener listener) {
        listeners.remove(listener);
    }

    private Map<String, Object> sizes() {
        final Map<String, Object> sizes = new HashMap<>();
        entities.forEach((topic, map) -> sizes.put(topic, map.size()));
        if (runs != null) {
            sizes.put(TopicCatalog.RUN_STATE.name(), "~" + runs.estimatedKeys() / 5 + " on disk");
        }
        return sizes;
    }

    @Override
    public void close() {
        follower.close();
        try {
            thread.join(10_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (runs != null && !thread.isAlive()) {
            storeQueue.clear(); // what was not written yet is read again from the topic at the next start
            storeQueue.offer(STOP_WRITER);
            try {
                storeWriter.join(10_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!storeWriter.isAlive()) {
                runs.close(); // only once its writer has stopped
            }
        }
    }
}
