package dev.arcturus.tools.bench;

import dev.arcturus.kafka.embedded.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arcturus bench kafka-baseline}: what the broker itself does on this machine, so pipeline figures can be
 * read as a ratio to it. Measures raw producer → consumer throughput for records of the plane's size, and the same
 * records through a do-nothing Kafka Streams app with {@code exactly_once_v2} (one hop). Ends with
 * {@code RESULT kafka-baseline records_per_s=<n> eos_hop_records_per_s=<n>}.
 */
@Command(name = "kafka-baseline", mixinStandardHelpOptions = true,
        description = "Raw Kafka producer->consumer throughput and one EOS Streams hop, on an in-process broker.")
public final class KafkaBaselineBenchmark implements Callable<Integer> {
    @Option(names = "--records", defaultValue = "200000", description = "Records per phase (default ${DEFAULT-VALUE}).")
    private int records;
    @Option(names = "--record-bytes", defaultValue = "400", description = "Value size; a JobCommand is ~300-500 bytes.")
    private int recordBytes;

    @Override
    public Integer call() throws Exception {
        final Path dir = Files.createTempDirectory("arcturus-bench-baseline");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.throwaway().start(Duration.ofSeconds(120))) {
            final String bootstrap = broker.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic("baseline-in", 6, (short) 1),
                        new NewTopic("baseline-out", 6, (short) 1))).all().get();
            }
            final long produceStart = System.nanoTime();
            produce(bootstrap, "baseline-in");
            final long consumed = consume(bootstrap, "baseline-in", "raw");
            final double raw = consumed / ((System.nanoTime() - produceStart) / 1e9);
            System.out.printf("raw: %d records of %d bytes produced and consumed: %.0f records/s%n", consumed,
                    recordBytes, raw);

            final double eos = eosHop(bootstrap, dir);
            System.out.printf("RESULT kafka-baseline records_per_s=%d eos_hop_records_per_s=%d%n", Math.round(raw),
                    Math.round(eos));
        }
        return 0;
    }

    private void produce(final String bootstrap, final String topic) {
        final byte[] value = new byte[recordBytes];
        new Random(1).nextBytes(value);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, ("key-" + (i % 10_000)).getBytes(), value));
            }
            producer.flush();
        }
    }

    private long consume(final String bootstrap, final String topic, final String group) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long count = 0;
            final long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (count < records && System.nanoTime() < deadline) {
                count += consumer.poll(Duration.ofMillis(100)).count();
            }
            return count;
        }
    }

    /** Time for the already-produced input to pass through a pass-through EOS app and be read back. */
    private double eosHop(final String bootstrap, final Path dir) throws InterruptedException {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream("baseline-in", Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("baseline-source"))
                .to("baseline-out", Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("baseline-sink"));
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "baseline-eos");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 20);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        final long start = System.nanoTime();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            final long consumed = consume(bootstrap, "baseline-out", "eos-reader");
            final double rate = consumed / ((System.nanoTime() - start) / 1e9);
            System.out.printf("eos hop: %d records through a pass-through exactly_once_v2 app (20 ms commits), "
                    + "including its start: %.0f records/s%n", consumed, rate);
            return rate;
        }
    }

}
