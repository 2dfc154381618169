package dev.arcturus.tools.chaos;

import dev.arcturus.config.KafkaClientSettings;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.registry.client.CompatibilityLevel;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import dev.arcturus.topics.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One would-be intruder on the bus: a Kafka client and a registry client signed in as {@code principal} (or not at
 * all). Each attempt says whether the plane accepted it; a refusal is logged with the principal and the reason.
 * Records are encoded with schema ids the intruder looked up elsewhere — ids are not secrets, so the bus's own
 * authorization is what must stop them.
 */
final class Intrusion implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Intrusion.class);

    private final String principal;
    private final PlaneEndpoints plane;
    private final KafkaClientSettings settings;
    /** The registry as this intruder reaches it (signed in with its SASL login, if it has one). */
    private final HttpSchemaRegistryClient registry;
    private final KafkaProducer<String, byte[]> producer;
    private int attempts;
    private int accepted;

    Intrusion(final String principal, final PlaneEndpoints plane, final KafkaClientSettings settings) {
        this.principal = principal;
        this.plane = plane;
        this.registry = new HttpSchemaRegistryClient(plane.schemaRegistryUrl(), settings.registryUserInfo());
        // Short timeouts: an unauthenticated client never gets metadata and would otherwise wait a minute per send.
        this.producer = new KafkaProducer<>(settings.with(plane.kafkaBootstrap(), Map.of(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000, ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.RETRIES_CONFIG, 0,
                ProducerConfig.CLIENT_ID_CONFIG, "intruder-" + principal)),
                new StringSerializer(), new ByteArraySerializer());
        this.settings = settings;
    }

    /** Produces {@code value} (already encoded) to {@code topic}; true if the broker took it. */
    <V extends SpecificRecord> boolean produce(final String forgery, final Topic<V> topic, final String key,
                                               final byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get(10, TimeUnit.SECONDS);
            return outcome(forgery, true, "written to " + topic.name());
        } catch (final Exception e) {
            return outcome(forgery, false, reason(e));
        }
    }

    /**
     * An insider's write: a principal that may write {@code topic} lies in the record. The bus takes it by design;
     * whether the plane accepts it is the apps' verdict, checked by the scenario afterwards.
     */
    <V extends SpecificRecord> void smuggle(final String forgery, final Topic<V> topic, final String key,
                                            final byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), key, value)).get(10, TimeUnit.SECONDS);
        attempts++;
        log.info("Insider {} wrote '{}' to {}; the apps' own checks must refuse it", principal, forgery, topic.name());
    }

    /** Deletes {@code topic}; true if the broker did. */
    boolean deleteTopic(final String forgery, final String topic) {
        final Map<String, Object> config = settings.clientProperties(plane.kafkaBootstrap());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        try (Admin admin = Admin.create(config)) {
            admin.deleteTopics(List.of(topic)).all().get(10, TimeUnit.SECONDS);
            return outcome(forgery, true, "deleted " + topic);
        } catch (final Exception e) {
            return outcome(forgery, false, reason(e));
        }
    }

    /** Registers {@code schema} under {@code subject}; true if the registry took it. */
    boolean registerSchema(final String forgery, final String subject, final org.apache.avro.Schema schema) {
        try {
            return outcome(forgery, true, "registered as id " + registry.register(subject, schema));
        } catch (final RuntimeException e) {
            return outcome(forgery, false, reason(e));
        }
    }

    /** Sets the registry's global compatibility; true if the registry took it. */
    boolean setCompatibility(final String forgery, final CompatibilityLevel level) {
        try {
            registry.setGlobalCompatibility(level);
            return outcome(forgery, true, "global compatibility now " + level);
        } catch (final RuntimeException e) {
            return outcome(forgery, false, reason(e));
        }
    }

    private boolean outcome(final String forgery, final boolean took, final String detail) {
        attempts++;
        if (took) {
            accepted++;
            log.error("ACCEPTED forgery '{}' by {}: {}", forgery, principal, detail);
        } else {
            log.info("Refused forgery '{}' by {}: {}", forgery, principal, detail);
        }
        return took;
    }

    private static String reason(final Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    String principal() {
        return principal;
    }

    int attempts() {
        return attempts;
    }

    int accepted() {
        return accepted;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
