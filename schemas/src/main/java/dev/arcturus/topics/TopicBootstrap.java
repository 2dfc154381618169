package dev.arcturus.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topic catalogue idempotently with explicit partitions and configs. A topic that already exists
 * counts as success; one that exists with fewer partitions than the catalogue asks for is reported, not
 * silently accepted, because keyed joins depend on equal partition counts.
 */
public final class TopicBootstrap {
    private static final Logger log = LoggerFactory.getLogger(TopicBootstrap.class);

    private static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(30);
    private static final Duration METADATA_PATIENCE = Duration.ofSeconds(15);

    private final Admin admin;
    private final short replicationFactor;

    public TopicBootstrap(final Admin admin, final short replicationFactor) {
        this.admin = admin;
        this.replicationFactor = replicationFactor;
    }

    /** Ensures every topic exists; returns the names of topics newly created by this call. */
    public List<String> ensure(final Collection<Topic<?>> topics) {
        final List<String> created = ensureNewTopics(topics.stream()
                .map(t -> new NewTopic(t.name(), t.partitions(), replicationFactor).configs(t.configs()))
                .toList());
        verifyPartitions(topics);
        log.info("Topic catalogue ready: {} topics, {} newly created", topics.size(), created.size());
        return created;
    }

    /**
     * Creates topics outside the catalogue (dead-letter topics, the registry's log) the same idempotent way: a topic
     * that already exists counts as success. Returns the names newly created.
     */
    public List<String> ensureNewTopics(final Collection<NewTopic> requests) {
        final List<String> created = new ArrayList<>();
        admin.createTopics(requests).values().forEach((name, future) -> {
            try {
                future.get();
                created.add(name);
            } catch (final ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + name, e.getCause());
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted creating topic " + name, e);
            }
        });
        return created;
    }

    /**
     * Describes the topics, waiting out the moment after creation when the broker answering may not know a new topic
     * yet (its metadata arrives from the controller a little later).
     */
    private Map<String, TopicDescription> describe(final Collection<Topic<?>> topics) {
        final long deadline = System.nanoTime() + METADATA_PATIENCE.toNanos();
        while (true) {
            try {
                return admin.describeTopics(topics.stream().map(Topic::name).toList()).allTopicNames().get();
            } catch (final ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot describe the topic catalogue", e.getCause());
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted describing the topic catalogue", e);
            }
            try {
                Thread.sleep(100);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted describing the topic catalogue", e);
            }
        }
    }

    /**
     * Creates a component's dead-letter topic if missing: one partition, 30 days' retention and the cluster's default
     * replication factor, so a production cluster replicates its dead letters too.
     */
    public static void ensureDeadLetterTopic(final dev.arcturus.config.PlaneEndpoints endpoints, final String topic) {
        try (Admin admin = Admin.create(endpoints.clientProperties())) {
            new TopicBootstrap(admin, (short) -1).ensureNewTopics(List.of(new NewTopic(topic, 1, (short) -1)
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(DEAD_LETTER_RETENTION.toMillis())))));
        }
    }

    private void verifyPartitions(final Collection<Topic<?>> topics) {
        final Map<String, TopicDescription> described = describe(topics);
        for (final Topic<?> topic : topics) {
            final int actual = described.get(topic.name()).partitions().size();
            if (actual < topic.partitions()) {
                throw new IllegalStateException("topic " + topic.name() + " has " + actual
                        + " partitions but the catalogue requires " + topic.partitions());
            }
        }
    }
}
