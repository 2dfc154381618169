package dev.arcturus.gateway.state;

import dev.arcturus.avro.User;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.gateway.follow.TopicFollower;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.topics.AnyRecordSerdes;
import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The gateway's read model: every compacted state topic it serves from, replayed from the beginning into memory and
 * then followed. Each gateway instance holds the whole view (no consumer group), so any instance answers any read,
 * and a revoked token stops working on every instance as soon as each has read the revocation (milliseconds).
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
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final List<ViewListener> listeners = new CopyOnWriteArrayList<>();
    private final TopicFollower follower;
    private final Map<TopicPartition, Long> initialEnds;
    private final Thread thread;
    private final Object progress = new Object();

    /** A change seen by the view: the new value, or null when the entity was deleted. */
    @FunctionalInterface
    public interface ViewListener {
        void changed(Topic<?> topic, String key, SpecificRecord value);
    }

    private PlaneView(final PlaneEndpoints endpoints, final List<Topic<?>> topics) {
        final SchemaRegistryClient registry = endpoints.registryClient();
        for (final Topic<?> topic : topics) {
            topicsByName.put(topic.name(), topic);
            decoders.put(topic.name(), AnyRecordSerdes.deserializer(topic, registry));
            entities.put(topic.name(), new ConcurrentHashMap<>());
        }
        follower = TopicFollower.open("gateway-plane-view", endpoints,
                topics.stream().map(Topic::name).toList(), 500);
        initialEnds = follower.fromBeginning();
        initialEnds.keySet().forEach(p -> positions.put(p, 0L));
        thread = new Thread(this::run, "gateway-plane-view");
        thread.setDaemon(true);
    }

    /** Starts following the topics and returns once everything present at start has been read. */
    public static PlaneView start(final PlaneEndpoints endpoints, final List<Topic<?>> topics, final Duration timeout) {
        final PlaneView view = new PlaneView(endpoints, topics);
        view.thread.start();
        for (final Map.Entry<TopicPartition, Long> end : view.initialEnds.entrySet()) {
            if (!view.awaitPosition(end.getKey(), end.getValue(), timeout)) {
                view.close();
                throw new IllegalStateException("the gateway's view did not load " + end.getKey() + " within " + timeout);
            }
        }
        log.info("Gateway view loaded: {}", view.sizes());
        return view;
    }

    private void run() {
        try {
            follower.run(this::apply, reached -> {
                synchronized (progress) {
                    positions.putAll(reached);
                    progress.notifyAll();
                }
            });
        } catch (final RuntimeException e) {
            log.error("Gateway view stopped unexpectedly", e);
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
        final Map<String, SpecificRecord> map = entities.get(record.topic());
        final SpecificRecord previous = value == null ? map.remove(key) : map.put(key, value);
        if (record.topic().equals(TopicCatalog.USER.name())) {
            indexToken((User) previous, (User) value);
        }
        final Topic<?> topic = topicsByName.get(record.topic());
        for (final ViewListener listener : listeners) {
            listener.changed(topic, key, value);
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

    public boolean follows(final String topic) {
        return topicsByName.containsKey(topic);
    }

    public <V extends SpecificRecord> Optional<V> get(final Topic<V> topic, final String key) {
        return Optional.ofNullable(entities.get(topic.name()).get(key)).map(topic.valueClass()::cast);
    }

    public <V extends SpecificRecord> Collection<V> all(final Topic<V> topic) {
        return entities.get(topic.name()).values().stream().map(topic.valueClass()::cast).toList();
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

    private Map<String, Integer> sizes() {
        final Map<String, Integer> sizes = new HashMap<>();
        entities.forEach((topic, map) -> sizes.put(topic, map.size()));
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
    }
}
