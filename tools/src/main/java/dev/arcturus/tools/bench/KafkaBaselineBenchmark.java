package dev.arcturus.tools.bench;

import dev.arcturus.kafka.embedded.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
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
 * records through a do-nothing Kafka Streams app with {@code exactly_once_v2} (one hop) — first on a plaintext broker,
 * then on a broker secured as {@code up} runs it (SASL/SCRAM-SHA-512 clients, the StandardAuthorizer, prefixed ACLs),
 * so the cost of security is measured in the same run. Ends with {@code RESULT kafka-baseline records_per_s=<n>
 * eos_hop_records_per_s=<n> secured_records_per_s=<n> secured_eos_hop_records_per_s=<n> secured_cost_pct=<n>
 * secured_eos_cost_pct=<n>}.
 */
@Command(name = "kafka-baseline", mixinStandardHelpOptions = true,
        description = "Raw Kafka producer->consumer throughput and one EOS Streams hop, plaintext and secured, on an "
                + "in-process broker.")
public final class KafkaBaselineBenchmark implements Callable<Integer> {
    private static final String CLIENT = "baseline";

    @Option(names = "--records", defaultValue = "200000", description = "Records per phase (default ${DEFAULT-VALUE}).")
    private int records;
    @Option(names = "--record-bytes", defaultValue = "400", description = "Value size; a JobCommand is ~300-500 bytes.")
    private int recordBytes;
    @Option(names = "--rounds", defaultValue = "3", description = "Rounds, plaintext and secured alternating; the "
            + "best of each is reported, so JIT warm-up and a noisy neighbour bias neither (default ${DEFAULT-VALUE}).")
    private int rounds;

    /** What one broker did. */
    private record Rates(double raw, double eosHop) {
    }

    @Override
    public Integer call() throws Exception {
        Rates plaintext = new Rates(0, 0);
        Rates secured = new Rates(0, 0);
        final EmbeddedKafkaBroker.SuperUser admin = new EmbeddedKafkaBroker.SuperUser("arcturus-admin",
                "bench-" + java.util.UUID.randomUUID().toString().replace("-", ""));
        // One broker at a time (two in one JVM interfere), a fresh pair each round.
        for (int round = 1; round <= rounds; round++) {
            try (EmbeddedKafkaBroker open = EmbeddedKafkaBroker.throwaway().start(Duration.ofSeconds(120))) {
                plaintext = best(plaintext, measure("round " + round + " plaintext", round, open.bootstrapServers(),
                        Map.of(), Map.of()));
            }
            try (EmbeddedKafkaBroker closed = EmbeddedKafkaBroker.throwaway().secured(admin)
                    .start(Duration.ofSeconds(120))) {
                final String password = java.util.UUID.randomUUID().toString();
                final Map<String, Object> client = Map.of("security.protocol", "SASL_PLAINTEXT",
                        "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + CLIENT
                                + "\" password=\"" + password + "\";");
                grant(closed, password);
                secured = best(secured, measure("round " + round + " secured", round, closed.bootstrapServers(),
                        closed.superUserClientSettings(), client));
            }
        }
        System.out.printf(java.util.Locale.ROOT, "RESULT kafka-baseline records_per_s=%d eos_hop_records_per_s=%d "
                        + "secured_records_per_s=%d secured_eos_hop_records_per_s=%d secured_cost_pct=%.1f "
                        + "secured_eos_cost_pct=%.1f%n", Math.round(plaintext.raw()), Math.round(plaintext.eosHop()),
                Math.round(secured.raw()), Math.round(secured.eosHop()), cost(plaintext.raw(), secured.raw()),
                cost(plaintext.eosHop(), secured.eosHop()));
        return 0;
    }

    private static Rates best(final Rates a, final Rates b) {
        return new Rates(Math.max(a.raw(), b.raw()), Math.max(a.eosHop(), b.eosHop()));
    }

    private static double cost(final double plain, final double secured) {
        return 100.0 * (plain - secured) / plain;
    }

    /** The benchmark's client as a plane component is: a SCRAM principal with prefixed ACLs on its own names only. */
    private static void grant(final EmbeddedKafkaBroker broker, final String password) throws Exception {
        final Map<String, Object> config = new java.util.HashMap<>(broker.superUserClientSettings());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            admin.alterUserScramCredentials(List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
                    CLIENT, new org.apache.kafka.clients.admin.ScramCredentialInfo(
                            org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get();
            final List<org.apache.kafka.common.acl.AclBinding> acls = new java.util.ArrayList<>();
            for (final var type : List.of(org.apache.kafka.common.resource.ResourceType.TOPIC,
                    org.apache.kafka.common.resource.ResourceType.GROUP,
                    org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID)) {
                acls.add(new org.apache.kafka.common.acl.AclBinding(new org.apache.kafka.common.resource.ResourcePattern(
                        type, CLIENT, org.apache.kafka.common.resource.PatternType.PREFIXED),
                        new org.apache.kafka.common.acl.AccessControlEntry("User:" + CLIENT, "*",
                                org.apache.kafka.common.acl.AclOperation.ALL,
                                org.apache.kafka.common.acl.AclPermissionType.ALLOW)));
            }
            admin.createAcls(acls).all().get();
        }
        Thread.sleep(1_000); // the credential and ACLs reach the broker's caches through the metadata log
    }

    private Rates measure(final String label, final int round, final String bootstrap,
                          final Map<String, Object> adminSettings, final Map<String, Object> clientSettings)
            throws Exception {
        final String in = "baseline-in-" + round;
        final String out = "baseline-out-" + round;
        final Path dir = Files.createTempDirectory("arcturus-bench-baseline");
        final Map<String, Object> adminConfig = new java.util.HashMap<>(adminSettings);
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(adminConfig)) {
            admin.createTopics(List.of(new NewTopic(in, 6, (short) 1), new NewTopic(out, 6, (short) 1))).all().get();
        }
        final long produceStart = System.nanoTime();
        produce(bootstrap, clientSettings, in);
        final long consumed = consume(bootstrap, clientSettings, in, "baseline-raw-" + round);
        final double raw = consumed / ((System.nanoTime() - produceStart) / 1e9);
        System.out.printf("%s raw: %d records of %d bytes produced and consumed: %.0f records/s%n", label, consumed,
                recordBytes, raw);
        return new Rates(raw, eosHop(label, round, bootstrap, clientSettings, dir));
    }

    private static Map<String, Object> with(final String bootstrap, final Map<String, Object> settings,
                                            final Map<String, Object> own) {
        final Map<String, Object> config = new java.util.HashMap<>(settings);
        config.putAll(own);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return config;
    }

    private void produce(final String bootstrap, final Map<String, Object> settings, final String topic) {
        RawKafkaRate.produce(with(bootstrap, settings, Map.of()), topic, records, recordBytes);
    }

    private long consume(final String bootstrap, final Map<String, Object> settings, final String topic,
                         final String group) {
        return RawKafkaRate.consume(with(bootstrap, settings, Map.of()), topic, group, records);
    }

    /** Time for the already-produced input to pass through a pass-through EOS app and be read back. */
    private double eosHop(final String label, final int round, final String bootstrap,
                          final Map<String, Object> settings, final Path dir) {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream("baseline-in-" + round, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("baseline-source"))
                .to("baseline-out-" + round, Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("baseline-sink"));
        final Properties props = new Properties();
        props.putAll(settings);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "baseline-eos-" + round);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 20);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        final long start = System.nanoTime();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            final long consumed = consume(bootstrap, settings, "baseline-out-" + round, "baseline-eos-reader-" + round);
            final double rate = consumed / ((System.nanoTime() - start) / 1e9);
            System.out.printf("%s eos hop: %d records through a pass-through exactly_once_v2 app (20 ms commits), "
                    + "including its start: %.0f records/s%n", label, consumed, rate);
            return rate;
        }
    }
}
