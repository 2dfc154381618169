package dev.arcturus.sinks.mysql.capture;

import dev.arcturus.avro.DomainOrigin;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What the plane holds for the two tables the capture maps onto state: every registration and every domain origin,
 * read from their compacted topics. A row change is compared with it, so the sink's own writes coming back through
 * the binary log change nothing, and a row only carries the seed's columns onto a registration that has more.
 *
 * <p>Used by the capture's one thread: {@link #catchUp} reads to the topics' current ends before a decision, because
 * the sink may have written a row for a registration this reader has not reached yet.
 */
final class PlaneState implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<NodeRegistration> registrations;
    private final Deserializer<DomainOrigin> origins;
    private final Map<String, NodeRegistration> nodes = new ConcurrentHashMap<>();
    private final Map<String, DomainOrigin> domains = new ConcurrentHashMap<>();

    private final String registrationTopic;
    private final String originTopic;

    PlaneState(final PlaneEndpoints endpoints, final CapturedTopics topics) {
        this.registrationTopic = topics.registrations().name();
        this.originTopic = topics.origins().name();
        this.consumer = new KafkaConsumer<>(endpoints.kafkaClient().with(endpoints.kafkaBootstrap(), Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.registrations = topics.registrations().valueSerde(endpoints.registryClient()).deserializer();
        this.origins = topics.origins().valueSerde(endpoints.registryClient()).deserializer();
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final Topic<?> topic : List.of(topics.registrations(), topics.origins())) {
            consumer.partitionsFor(topic.name(), Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads until every partition's position has reached the end it had when called. */
    void catchUp(final Duration timeout) {
        final Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), timeout);
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the plane's registrations and domain origins were not read within "
                        + timeout);
            }
            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                apply(record);
            }
        }
    }

    private void apply(final ConsumerRecord<byte[], byte[]> record) {
        final String key = new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
        if (record.topic().equals(registrationTopic)) {
            if (record.value() == null) {
                nodes.remove(key);
            } else {
                nodes.put(key, registrations.deserialize(record.topic(), record.headers(), record.value()));
            }
        } else if (record.value() == null) {
            domains.remove(key);
        } else {
            domains.put(key, origins.deserialize(record.topic(), record.headers(), record.value()));
        }
    }

    Optional<NodeRegistration> node(final String nodeId) {
        return Optional.ofNullable(nodes.get(nodeId));
    }

    /** The node registered at an address (node_region's ip is UNIQUE, so at most one the capture cares about). */
    Optional<NodeRegistration> nodeAt(final String ip) {
        return nodes.values().stream().filter(n -> n.getIp().equals(ip)).sorted(
                java.util.Comparator.comparing(NodeRegistration::getNodeId)).findFirst();
    }

    /** A domain origin served at an address. */
    Optional<DomainOrigin> originAt(final String ip) {
        return domains.values().stream().filter(o -> o.getOriginIp().equals(ip)).sorted(
                java.util.Comparator.comparing(DomainOrigin::getDomain)).findFirst();
    }

    Optional<DomainOrigin> origin(final String domain) {
        return Optional.ofNullable(domains.get(domain));
    }

    /** What the capture has just produced is the plane's state from now on, whether or not it has been read back. */
    void produced(final String topic, final String key, final Object value) {
        if (topic.equals(registrationTopic)) {
            if (value == null) {
                nodes.remove(key);
            } else {
                nodes.put(key, (NodeRegistration) value);
            }
        } else if (topic.equals(originTopic)) {
            if (value == null) {
                domains.remove(key);
            } else {
                domains.put(key, (DomainOrigin) value);
            }
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
