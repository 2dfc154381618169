package dev.arcturus.tools.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The broker's raw rate — records of a command's size produced and read back ({@code read_committed}) — measured on
 * the broker a benchmark runs on, in the same run, so its figure can be given as a share of what Kafka itself does
 * there at that moment (a busy neighbour or a cold JIT moves both).
 */
final class RawKafkaRate {
    /** Records per measurement: long enough to be past the producer's and consumer's start. */
    static final int RECORDS = 200_000;
    /** A JobCommand is ~300–500 bytes. */
    static final int RECORD_BYTES = 400;
    /** As many as the plane's entity topics. */
    static final int PARTITIONS = 6;

    private RawKafkaRate() {
    }

    /** Produces and consumes {@link #RECORDS} records on a fresh six-partition topic; records/s. */
    static double measure(final BenchPlane plane) throws Exception {
        final String topic = "bench-raw-" + UUID.randomUUID();
        plane.admin().createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        awaitWritable(plane.client(Map.of()), topic);
        final long start = System.nanoTime();
        produce(plane.client(Map.of()), topic, RECORDS, RECORD_BYTES);
        final long consumed = consume(plane.client(Map.of()), topic, "bench-raw-" + UUID.randomUUID(),
                RECORDS + PARTITIONS) - PARTITIONS;
        final double rate = consumed / ((System.nanoTime() - start) / 1e9);
        plane.admin().deleteTopics(List.of(topic)).all().get();
        System.out.printf("raw kafka on this broker: %d records of %d bytes produced and consumed: %.0f records/s%n",
                consumed, RECORD_BYTES, rate);
        return rate;
    }

    /**
     * Writes one record to each partition of a topic just created, one at a time, so the timed producer starts on a
     * topic every broker knows: a burst into a partition whose leader is not yet known everywhere ends in
     * NOT_LEADER retries and an idempotent producer stuck on OUT_OF_ORDER_SEQUENCE_NUMBER.
     */
    private static void awaitWritable(final Map<String, Object> client, final String topic) throws Exception {
        final Map<String, Object> config = new java.util.HashMap<>(client);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                producer.send(new ProducerRecord<>(topic, partition, null, new byte[RECORD_BYTES])).get();
            }
        }
    }

    static void produce(final Map<String, Object> client, final String topic, final int records, final int bytes) {
        final byte[] value = new byte[bytes];
        new Random(1).nextBytes(value);
        final Map<String, Object> config = new java.util.HashMap<>(client);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, ("key-" + (i % 10_000)).getBytes(), value));
            }
            producer.flush();
        }
    }

    static long consume(final Map<String, Object> client, final String topic, final String group, final int records) {
        final Map<String, Object> config = new java.util.HashMap<>(client);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long count = 0;
            final long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (count < records && System.nanoTime() < deadline) {
                count += consumer.poll(Duration.ofMillis(100)).count();
            }
            return count;
        }
    }

    /** {@code raw_records_per_s=<n> share_of_raw=<figure / raw>}, for a RESULT line. */
    static String resultFields(final double raw, final double figure) {
        return String.format(java.util.Locale.ROOT, "raw_records_per_s=%d share_of_raw=%.3f", Math.round(raw),
                figure / raw);
    }
}
