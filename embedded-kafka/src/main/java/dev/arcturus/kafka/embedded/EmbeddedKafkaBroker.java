package dev.arcturus.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Apache Kafka 4.x broker in KRaft combined mode (broker and controller in one process),
 * started in-process from the Maven Central jars. The storage is formatted once; a persistent data directory is
 * reused on the next start, a throwaway one is deleted on close.
 *
 * <p>This hides Kafka's internal {@code KafkaRaftServer} and {@code StorageTool}, which are not public API,
 * behind one small class, so a Kafka upgrade touches only this file.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String HOST = "127.0.0.1";

    private final Path dataDir;
    private final boolean throwaway;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private final SuperUser superUser;
    private KafkaRaftServer server;

    /**
     * The one principal the authorizer lets do anything: the broker's own identity (between its listeners) and the
     * operators' admin that creates topics, SCRAM credentials and ACLs. It signs in with SASL/PLAIN against the
     * broker's own configuration, so it works on a data directory formatted before security was on; every other
     * principal uses SCRAM-SHA-512 with credentials the admin stores in the cluster metadata.
     */
    public record SuperUser(String name, String password) {
        public SuperUser {
            if (name == null || !name.matches("[A-Za-z0-9_.-]+") || password == null
                    || !password.matches("[A-Za-z0-9_-]{16,}")) {
                throw new IllegalArgumentException("a super user needs a plain name and a password of 16 or more "
                        + "URL-safe characters");
            }
        }

        @Override
        public String toString() {
            return "SuperUser[" + name + "]"; // never the password
        }
    }

    private EmbeddedKafkaBroker(final Path dataDir, final boolean throwaway, final int brokerPort,
                                final int controllerPort, final Map<String, String> overrides,
                                final SuperUser superUser) {
        this.dataDir = dataDir;
        this.throwaway = throwaway;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.overrides = Map.copyOf(overrides);
        this.superUser = superUser;
    }

    /** A broker on random free ports whose data is deleted on close: one per test JVM. */
    public static EmbeddedKafkaBroker throwaway() {
        try {
            return new EmbeddedKafkaBroker(Files.createTempDirectory("arcturus-kafka-"), true,
                    freePort(), freePort(), Map.of(), null);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create a temporary data directory", e);
        }
    }

    /** A broker that keeps its data under {@code dataDir} across restarts; a port of 0 picks a free one. */
    public static EmbeddedKafkaBroker persistent(final Path dataDir, final int brokerPort, final int controllerPort,
                                                 final Map<String, String> overrides) {
        return new EmbeddedKafkaBroker(dataDir, false, brokerPort == 0 ? freePort() : brokerPort,
                controllerPort == 0 ? freePort() : controllerPort, overrides, null);
    }

    /**
     * This broker with authentication and authorization on (call before {@link #start}): both listeners take SASL
     * only (SCRAM-SHA-512 for clients, PLAIN for {@code superUser}), and the KRaft {@code StandardAuthorizer} denies
     * whatever no ACL allows. Loopback only, so SASL over plaintext: no credential leaves the host.
     */
    public EmbeddedKafkaBroker secured(final SuperUser superUser) {
        if (server != null) {
            throw new IllegalStateException("secure the broker before starting it");
        }
        return new EmbeddedKafkaBroker(dataDir, throwaway, brokerPort, controllerPort, overrides,
                java.util.Objects.requireNonNull(superUser, "superUser"));
    }

    public boolean isSecured() {
        return superUser != null;
    }

    /**
     * What a client needs besides the bootstrap servers to reach this broker as the super user (empty when not
     * secured). Tools and tests use it; the plane's components each have their own principal.
     */
    public Map<String, Object> superUserClientSettings() {
        if (superUser == null) {
            return Map.of();
        }
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", plainLogin(superUser, false));
    }

    private static String plainLogin(final SuperUser user, final boolean serverSide) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user.name()
                + "\" password=\"" + user.password() + "\""
                + (serverSide ? " user_" + user.name() + "=\"" + user.password() + "\"" : "") + ";";
    }


    /** Formats the storage if it is new, starts the broker and waits until it answers metadata requests. */
    public EmbeddedKafkaBroker start(final Duration timeout) {
        final long started = System.nanoTime();
        requireFree(brokerPort, "broker");
        requireFree(controllerPort, "controller");
        final Properties props = serverProperties();
        formatIfNeeded(props);
        server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        awaitReady(timeout);
        log.info("Kafka broker ready at {} (data {}) in {} ms", bootstrapServers(), dataDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return this;
    }

    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Stops the broker cleanly, keeps it down for {@code downFor}, and starts it again on the same ports and data, as
     * an operator's rolling restart would; clients reconnect on their own.
     */
    public EmbeddedKafkaBroker restart(final Duration downFor, final Duration timeout) throws InterruptedException {
        stop();
        Thread.sleep(downFor.toMillis());
        return start(timeout);
    }

    private void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            log.info("Kafka broker at {} stopped", bootstrapServers());
        }
    }

    private Properties serverProperties() {
        final Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        props.put("controller.listener.names", "CONTROLLER");
        if (superUser == null) {
            props.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":"
                    + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            putSecurity(props);
        }
        props.put("log.dirs", dataDir.resolve("logs").toString());
        // A single node cannot hold more than one replica of the internal topics; EOS apps hang without these.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "6");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "6");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Topics come only from the catalogue bootstrap, never from a typo in a producer.
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        // Controlled shutdown hands partition leadership to other brokers first; a single node has none, and
        // waiting for the controller's approval stalled shutdown for minutes. A clean stop still flushes the logs.
        props.put("controlled.shutdown.enable", "false");
        // Without a controlled shutdown the controller fences the previous incarnation only when its session
        // expires (9 s by default), which delayed every restart by as much; in-process, heartbeats can't be late.
        props.put("broker.session.timeout.ms", "2000");
        props.put("broker.heartbeat.interval.ms", "500");
        // A crashed EOS instance's open transaction blocks its partitions' new owner until aborted; sweep for timed-out
        // transactions every second instead of every 10 s so a takeover stays within 10 s (docs/reliability.md).
        props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        props.putAll(overrides);
        return props;
    }

    private void putSecurity(final Properties props) {
        props.put("listeners", "CLIENT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", "CLIENT://" + HOST + ":" + brokerPort);
        props.put("inter.broker.listener.name", "CLIENT");
        props.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        // Clients sign in with SCRAM (credentials in the cluster metadata, salted); the super user with PLAIN
        // against this configuration, which also lets the broker reach its own controller: the controller cannot
        // check SCRAM credentials before it has read the metadata that holds them.
        props.put("listener.name.client.sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN");
        props.put("listener.name.client.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("listener.name.client.plain.sasl.jaas.config", plainLogin(superUser, true));
        props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.controller.plain.sasl.jaas.config", plainLogin(superUser, true));
        props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        props.put("sasl.mechanism.controller.protocol", "PLAIN");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:" + superUser.name());
        props.put("allow.everyone.if.no.acl.found", "false");
    }

    private void formatIfNeeded(final Properties props) {
        final Path logs = dataDir.resolve("logs");
        if (Files.exists(logs.resolve("meta.properties"))) {
            return; // already formatted: reuse the cluster id and data
        }
        final Path config = dataDir.resolve("server.properties");
        final ByteArrayOutputStream toolOutput = new ByteArrayOutputStream();
        try {
            Files.createDirectories(logs);
            Files.deleteIfExists(config);
            Files.createFile(config, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "written by EmbeddedKafkaBroker for formatting");
            }
            // Transactions v1: under v2 (4.3.1), EOS apps under load on this single node saw CONCURRENT_TRANSACTIONS
            // retries end in broker-side OutOfOrderSequence rejections and aborted transactions; v1 showed none at
            // the same throughput (docs/benchmarks.md).
            final int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString(), "--feature", "transaction.version=1"}, new PrintStream(toolOutput, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("formatting Kafka storage in " + logs + " failed (exit " + rc + "): "
                        + toolOutput.toString(StandardCharsets.UTF_8));
            }
            // It held the super user's password (the JAAS settings) and served only the format tool.
            Files.deleteIfExists(config);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka storage in " + logs, e);
        } catch (final Exception e) {
            throw new IllegalStateException("formatting Kafka storage in " + logs + " failed", e);
        }
    }

    private void awaitReady(final Duration timeout) {
        final Map<String, Object> config = new java.util.HashMap<>(superUserClientSettings());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(1, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (final ExecutionException | TimeoutException retry) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka broker at " + bootstrapServers()
                                + " not ready within " + timeout, retry);
                    }
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the Kafka broker", e);
        }
    }

    @Override
    public void close() {
        stop();
        if (throwaway) {
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(final Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (final IOException e) {
            log.warn("Could not delete {}", root, e);
        }
    }

    private static void requireFree(final int port, final String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new java.net.InetSocketAddress(HOST, port));
        } catch (final IOException e) {
            throw new IllegalStateException("Kafka " + what + " port " + HOST + ":" + port
                    + " is already in use (is another Arcturus or Kafka running?)", e);
        }
    }

    private static int freePort() {
        // A small race remains between closing this socket and the broker binding; with one broker per JVM it is
        // harmless, and a clash fails loudly at start-up.
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
