package dev.arcturus.launcher.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.Heartbeat;
import dev.arcturus.avro.LivenessState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.tls.TlsFiles;
import dev.arcturus.launcher.ArcturusCommand;
import dev.arcturus.launcher.plane.RunningPlane;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.topics.TopicCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The live dashboard in a real browser: Debian's headless Chromium, driven through chromedriver, against the plane
 * as {@code ./arcturus up} starts it (embedded broker, every streams app, the TLS gateway with its dashboard). Two
 * nodes heartbeat; one stops; the page must show it DOWN within 2 s of the liveness app deciding so, without a
 * reload. A screenshot is kept in {@code target/dashboard-e2e.png}.
 */
class DashboardEndToEndTest {
    private static final Duration SHOWN_WITHIN = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private final Set<String> beating = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();

    @Test
    void showsTheFleetLiveAndANodeGoingDownWithinTwoSeconds() throws Exception {
        try (Browsers.DashboardPlane started = Browsers.DashboardPlane.start(dir)) {
            final RunningPlane plane = started.plane();
            final Gateway gateway = started.gateway();
            final TlsFiles tls = started.tls();
            final String adminToken = started.adminToken();
            final String url = started.url();
            assertThat(unauthenticatedStatus(url + "api/snapshot", tls)).as("no session, no data").isEqualTo(401);

            cli("node", "register", "--nodeid", "e2e-stays", "--ip", "10.9.0.1", "--region", "eu-west",
                    "--gateway", "localhost:" + gateway.port(), "--ca-cert", tls.certificateChain().toString(),
                    "--token-file", dir.resolve("admin-token").toString());
            cli("node", "register", "--nodeid", "e2e-leaves", "--ip", "10.9.0.2", "--region", "us-east",
                    "--gateway", "localhost:" + gateway.port(), "--ca-cert", tls.certificateChain().toString(),
                    "--token-file", dir.resolve("admin-token").toString());
            final String soon = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.HOURS)
                    .toString();
            cli("job", "schedule", "--jobid", "e2e-ping", "--nodeid", "e2e-stays", "--schedule", "*/30 * * * *",
                    "--start-date", soon, "--end-date", Instant.parse(soon).plus(Duration.ofHours(3)).toString(),
                    "--length", "60", "--gateway", "localhost:" + gateway.port(), "--ca-cert",
                    tls.certificateChain().toString(), "--token-file", dir.resolve("admin-token").toString());
            beating.addAll(List.of("e2e-stays", "e2e-leaves"));
            final ScheduledExecutorService heart = Executors.newSingleThreadScheduledExecutor();
            final WebDriver browser = Browsers.chromium();
            try (KafkaProducer<String, byte[]> producer = Browsers.producer(plane);
                 KafkaConsumer<String, byte[]> liveness = livenessReader(plane)) {
                final SchemaRegistryClient registry = plane.endpoints().registryClient();
                final var encode = TopicCatalog.NODE_HEARTBEAT.valueSerde(registry).serializer();
                heart.scheduleAtFixedRate(() -> beating.forEach(node -> producer.send(new ProducerRecord<>(
                        TopicCatalog.NODE_HEARTBEAT.name(), node, encode.serialize(TopicCatalog.NODE_HEARTBEAT.name(),
                                Heartbeat.newBuilder().setMetadata(EventMetadatas.newMetadata("e2e", Clock.systemUTC()))
                                        .setNodeId(node).setSentAt(Instant.now()).setSequence(sequence.incrementAndGet())
                                        .setIntervalMs(2000).build())))), 0, 2, TimeUnit.SECONDS);

                browser.get(url);
                Browsers.signIn(browser, adminToken);
                Browsers.search(browser, "e2e-", "e2e-leaves");
                Awaitility.await("both nodes UP on the page").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100)).until(() -> "UP".equals(stateShown(browser, "e2e-stays"))
                                && "UP".equals(stateShown(browser, "e2e-leaves")));
                assertThat(browser.findElement(By.cssSelector("#overview tr[data-region='us-east'] td[data-state='UP']"))
                        .getText()).isEqualTo("1");
                browser.findElement(By.id("calendar-node")).sendKeys("e2e-stays\n");
                Awaitility.await("the node's calendar").atMost(Duration.ofSeconds(10)).until(() -> browser
                        .findElements(By.cssSelector("#calendar tbody tr")).stream()
                        .filter(row -> row.getText().contains("e2e-ping")).count() >= 2);
                final String pageBefore = (String) ((org.openqa.selenium.JavascriptExecutor) browser)
                        .executeScript("return String(performance.timeOrigin)");

                beating.remove("e2e-leaves");
                final ConsumerRecord<String, byte[]> down = awaitDown(liveness, registry, "e2e-leaves");
                final long decidedAt = down.timestamp();
                Awaitility.await("the page shows e2e-leaves DOWN").atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(20)).until(() -> "DOWN".equals(stateShown(browser, "e2e-leaves")));
                final long shownAfterMs = System.currentTimeMillis() - decidedAt;
                Files.write(Path.of("target", "dashboard-e2e.png"),
                        ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                System.out.printf("RESULT dashboard down_shown_ms=%d%n", shownAfterMs);

                assertThat(shownAfterMs).as("DOWN shown %d ms after the liveness app decided it", shownAfterMs)
                        .isLessThanOrEqualTo(SHOWN_WITHIN.toMillis());
                assertThat(stateShown(browser, "e2e-stays")).as("the other node is untouched").isEqualTo("UP");
                assertThat(((org.openqa.selenium.JavascriptExecutor) browser)
                        .executeScript("return String(performance.timeOrigin)")).as("server push, not a reload")
                        .isEqualTo(pageBefore);
                assertThat(browser.findElement(By.id("connection")).getText()).isEqualTo("live");
            } catch (final AssertionError | RuntimeException e) {
                // Keep what the browser showed, for whoever reads the failed build.
                Files.writeString(Path.of("target", "dashboard-e2e-failure.html"), browser.getPageSource());
                Files.write(Path.of("target", "dashboard-e2e-failure.png"),
                        ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                throw e;
            } finally {
                heart.shutdownNow();
                browser.quit();
            }
        }
    }

    private static String stateShown(final WebDriver browser, final String node) {
        final List<WebElement> cards = browser.findElements(By.cssSelector(".node[data-node-id='" + node + "']"));
        return cards.isEmpty() ? null : cards.get(0).getDomAttribute("data-state");
    }

    private static ConsumerRecord<String, byte[]> awaitDown(final KafkaConsumer<String, byte[]> liveness,
                                                           final SchemaRegistryClient registry, final String node) {
        final var decode = TopicCatalog.NODE_LIVENESS.valueSerde(registry).deserializer();
        final long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            for (final ConsumerRecord<String, byte[]> record : liveness.poll(Duration.ofMillis(20))) {
                if (node.equals(record.key()) && record.value() != null) {
                    final NodeLiveness state = decode.deserialize(record.topic(), record.value());
                    if (state.getState() == LivenessState.DOWN) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError(node + " never went DOWN on " + TopicCatalog.NODE_LIVENESS.name());
    }

    private static KafkaConsumer<String, byte[]> livenessReader(final RunningPlane plane) {
        final KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                plane.endpoints().kafkaClient().with(plane.endpoints().kafkaBootstrap(), Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        consumer.subscribe(List.of(TopicCatalog.NODE_LIVENESS.name()));
        return consumer;
    }

    private static void cli(final String... args) {
        assertThat(ArcturusCommand.commandLine().execute(args)).as(String.join(" ", args)).isZero();
    }

    /** A plain HTTPS call with the gateway's own certificate trusted, without a session cookie. */
    private static int unauthenticatedStatus(final String url, final TlsFiles tls) throws Exception {
        final java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = Files.newInputStream(tls.certificateChain())) {
            trust.setCertificateEntry("gateway", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        final var trustManagers = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        final javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        final HttpClient client = HttpClient.newBuilder().sslContext(context).build();
        return client.send(HttpRequest.newBuilder(URI.create(url.replace("127.0.0.1", "localhost"))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
