package dev.arcturus.gateway.dashboard;

import dev.arcturus.bus.BusAccess;
import dev.arcturus.config.PlaneEndpoints;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus's health as an operator reads it: records in each component's dead-letter topic and how far each
 * component's consumer group is behind its inputs. Measured on a background thread every {@link #INTERVAL_S} s with
 * the gateway's own principal (DESCRIBE on the groups, dead-letter topics and catalogue topics, docs/security.md), so
 * a page load never waits on the broker; a measurement that fails says why instead of a number.
 */
final class BusHealth implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BusHealth.class);
    static final int INTERVAL_S = 15;
    private static final long TIMEOUT_S = 10;

    private final Admin admin;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "dashboard-bus-health");
        t.setDaemon(true);
        return t;
    });
    private volatile String json = "{\"measured\":false}";
    private volatile String lastProblem;

    BusHealth(final PlaneEndpoints endpoints) {
        this.admin = Admin.create(endpoints.clientProperties());
        thread.scheduleWithFixedDelay(this::measure, 0, INTERVAL_S, TimeUnit.SECONDS);
    }

    /** {@code {"measured":true,"at":…,"deadLetters":{topic:n,…},"lag":{group:n,…},"problems":[…]}}. */
    String json() {
        return json;
    }

    private void measure() {
        final Map<String, Object> deadLetters = new LinkedHashMap<>();
        final Map<String, Object> lag = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        for (final BusAccess.Access access : BusAccess.all()) {
            if (access.kind() != BusAccess.Kind.STREAMS_APP && access.kind() != BusAccess.Kind.SINK) {
                continue;
            }
            final String name = access.principal().name();
            try {
                deadLetters.put(name + ".dlq", deadLetterCount(name + ".dlq"));
            } catch (final Exception e) {
                problems.add(name + ".dlq: " + reason(e));
            }
            try {
                lag.put(name, groupLag(name));
            } catch (final Exception e) {
                problems.add(name + " lag: " + reason(e));
            }
        }
        json = Json.object().field("measured", true).field("at", System.currentTimeMillis())
                .field("deadLetters", deadLetters).field("lag", lag).field("problems", problems).end();
        final String problem = problems.isEmpty() ? null : String.join("; ", problems);
        if (problem != null && !problem.equals(lastProblem)) {
            log.warn("Dashboard bus health: {}", problem); // one line per change, not per measurement
        }
        lastProblem = problem;
    }

    private long deadLetterCount(final String topic) throws Exception {
        final Map<String, TopicDescription> found;
        try {
            found = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (final java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return 0; // not created yet: nothing was ever dead-lettered
            }
            throw e;
        }
        final List<TopicPartition> partitions = found.get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        final Map<TopicPartition, Long> earliest = offsets(partitions, OffsetSpec.earliest());
        final Map<TopicPartition, Long> latest = offsets(partitions, OffsetSpec.latest());
        return partitions.stream().mapToLong(p -> latest.get(p) - earliest.get(p)).sum();
    }

    /** Records committed to the group's inputs that the group has not committed as read. */
    private long groupLag(final String group) throws Exception {
        final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_S, TimeUnit.SECONDS);
        final Map<TopicPartition, OffsetAndMetadata> known = new HashMap<>();
        committed.forEach((partition, offset) -> {
            if (offset != null) {
                known.put(partition, offset);
            }
        });
        if (known.isEmpty()) {
            return 0;
        }
        final Map<TopicPartition, Long> ends = offsets(List.copyOf(known.keySet()), OffsetSpec.latest());
        return known.entrySet().stream().mapToLong(e -> Math.max(0, ends.get(e.getKey()) - e.getValue().offset()))
                .sum();
    }

    private Map<TopicPartition, Long> offsets(final List<TopicPartition> partitions, final OffsetSpec spec)
            throws Exception {
        final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        final Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(TIMEOUT_S, TimeUnit.SECONDS).forEach((p, info) -> out.put(p, info.offset()));
        return out;
    }

    private static String reason(final Exception e) {
        final Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                ? e.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    @Override
    public void close() {
        thread.shutdownNow();
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
