package dev.arcturus.launcher.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.avro.GeoCoordinates;
import dev.arcturus.avro.LivenessState;
import dev.arcturus.avro.NodeLiveness;
import dev.arcturus.avro.NodeRegistration;
import dev.arcturus.avro.NodeRole;
import dev.arcturus.events.EventMetadatas;
import dev.arcturus.launcher.plane.RunningPlane;
import dev.arcturus.registry.client.SchemaRegistryClient;
import dev.arcturus.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The dashboard at fleet scale in a real browser: 10,000 registered nodes in ten regions with coordinates, tags and a
 * mix of liveness states, against the plane as {@code ./arcturus up} starts it. The page must draw its overview from
 * the snapshot within 2 s, count every region and state right, list a clicked count and a search's matches a page at
 * a time, put a node in "needs attention" within 2 s of its DOWN record, and keep its DOM small whatever the fleet.
 * Prints {@code RESULT dashboard-fleet nodes=<n> first_render_ms=<n> attention_ms=<n> dom_elements=<n>} and keeps
 * screenshots in {@code target/dashboard-fleet-*.png} (sign-in, overview, region drill-down, map).
 */
class DashboardFleetTest {
    private static final int NODES = 10_000;
    private static final int REGIONS = 10;
    private static final List<String> STATES = List.of("UP", "SUSPECT", "DEGRADED", "DOWN", "UNKNOWN");
    /** Rough centres of ten regions, so the map shows ten clusters. */
    private static final double[][] CENTRES = {{50.1, 8.7}, {40.7, -74.0}, {37.4, -122.1}, {51.5, -0.1},
        {35.7, 139.7}, {1.35, 103.8}, {-33.9, 151.2}, {-23.5, -46.6}, {19.1, 72.9}, {59.3, 18.1}};
    private static final long FIRST_RENDER_LIMIT_MS = 2_000;
    private static final long ATTENTION_LIMIT_MS = 2_000;
    /** The page's element count may not grow with the fleet: well under one element per node. */
    private static final long DOM_LIMIT = 4_000;

    @TempDir
    Path dir;

    @Test
    void showsTenThousandNodesAtAGlanceProblemsFirst() throws Exception {
        try (Browsers.DashboardPlane started = Browsers.DashboardPlane.start(dir)) {
            final RunningPlane plane = started.plane();
            final String adminToken = started.adminToken();
            final String url = started.url();
            final SchemaRegistryClient registry = plane.endpoints().registryClient();
            final Map<String, Map<String, Integer>> expected = new TreeMap<>();
            try (KafkaProducer<String, byte[]> producer = Browsers.producer(plane)) {
                publishFleet(producer, registry, expected);
            }

            final WebDriver browser = Browsers.chromium();
            try (KafkaProducer<String, byte[]> producer = Browsers.producer(plane)) {
                browser.get(url);
                assertThat(browser.findElement(By.id("plane")).isDisplayed()).as("no panels behind the sign-in box")
                        .isFalse();
                Browsers.screenshot(browser, "dashboard-fleet-sign-in.png");
                Browsers.signIn(browser, adminToken);
                awaitTotal(browser, NODES, Duration.ofSeconds(90)); // the gateway's view has read the whole fleet

                // First render, measured on a fresh load of the page against the plane as it now stands.
                browser.navigate().refresh();
                awaitTotal(browser, NODES, Duration.ofSeconds(30));
                final long firstRenderMs = Long.parseLong((String) Browsers.script(browser,
                        "return document.body.dataset.firstRenderMs"));
                for (final Map.Entry<String, Map<String, Integer>> region : expected.entrySet()) {
                    for (final String state : STATES) {
                        assertThat(cell(browser, region.getKey(), state)).as("%s %s", region.getKey(), state)
                                .isEqualTo(String.valueOf(region.getValue().getOrDefault(state, 0)));
                    }
                }
                Browsers.screenshot(browser, "dashboard-fleet-overview.png");
                // The run-outcome chart (24 hourly points, uPlot) is drawn from the snapshot's run digest.
                assertThat(browser.findElements(By.cssSelector("#outcome-chart .uplot canvas"))).isNotEmpty();
                assertThat(browser.findElements(By.cssSelector("#latency-chart .uplot canvas"))).isNotEmpty();

                // Drill into one region's DOWN nodes: a page of exactly those.
                browser.findElement(By.cssSelector("#overview tr[data-region='R3'] td[data-state='DOWN'] button")).click();
                final int r3Down = expected.get("R3").getOrDefault("DOWN", 0);
                assertThat(r3Down).as("the fleet has DOWN nodes in R3").isPositive();
                Awaitility.await("R3's DOWN nodes listed").atMost(Duration.ofSeconds(5)).until(() ->
                        browser.findElement(By.id("page-info")).getText().endsWith("of " + r3Down));
                final List<WebElement> rows = browser.findElements(By.cssSelector("#node-list tbody tr.node"));
                assertThat(rows).hasSize(Math.min(50, r3Down)).allSatisfy(row -> {
                    assertThat(row.getDomAttribute("data-state")).isEqualTo("DOWN");
                    assertThat(row.findElements(By.tagName("td")).get(1).getText()).isEqualTo("R3");
                });
                Browsers.screenshot(browser, "dashboard-fleet-region.png");

                // Search by id, by host name and by tag.
                Browsers.search(browser, "fleet-04242", "fleet-04242");
                assertThat(browser.findElements(By.cssSelector("#node-list tbody tr.node"))).hasSize(1);
                Browsers.search(browser, "host-7001.example", "fleet-07001");
                Browsers.search(browser, "ground-station-5", "fleet-00005");

                final WebElement map = browser.findElement(By.id("map"));
                Awaitility.await("every node on the map").atMost(Duration.ofSeconds(30)).until(() ->
                        browser.findElement(By.id("map-note")).getText().startsWith(NODES + " of " + NODES));
                Browsers.script(browser, "arguments[0].scrollIntoView()", map);
                Browsers.screenshot(map, "dashboard-fleet-map.png");

                // A node goes DOWN: it must be under "needs attention" within 2 s of its liveness record.
                final String node = "fleet-00007";
                assertThat(browser.findElements(By.cssSelector("#attention-down li[data-node-id='" + node + "']")))
                        .isEmpty();
                final Future<RecordMetadata> sent = producer.send(liveness(registry, node, LivenessState.DOWN, 1));
                producer.flush();
                final long recordTimestamp = sent.get().timestamp();
                Awaitility.await(node + " under needs attention").atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(20)).until(() -> !browser.findElements(
                                By.cssSelector("#attention-down li[data-node-id='" + node + "']")).isEmpty());
                final long attentionMs = System.currentTimeMillis() - recordTimestamp;
                final long domElements = (Long) Browsers.script(browser,
                        "return document.getElementsByTagName('*').length");
                System.out.printf("RESULT dashboard-fleet nodes=%d first_render_ms=%d attention_ms=%d dom_elements=%d%n",
                        NODES, firstRenderMs, attentionMs, domElements);

                assertThat(firstRenderMs).as("first render").isLessThanOrEqualTo(FIRST_RENDER_LIMIT_MS);
                assertThat(attentionMs).as("DOWN shown under needs attention").isLessThanOrEqualTo(ATTENTION_LIMIT_MS);
                assertThat(cell(browser, "R7", "DOWN")).as("the overview counted the new DOWN node")
                        .isEqualTo(String.valueOf(expected.get("R7").getOrDefault("DOWN", 0) + 1));
                assertThat(domElements).as("the page's DOM stays small at %d nodes", NODES).isLessThan(DOM_LIMIT);
            } catch (final AssertionError | RuntimeException e) {
                Browsers.keepFailure(browser, "dashboard-fleet-failure");
                throw e;
            } finally {
                browser.quit();
            }
        }
    }

    /** Registers the fleet and its liveness (some nodes never heard from: UNKNOWN), counting what the page must show. */
    private static void publishFleet(final KafkaProducer<String, byte[]> producer, final SchemaRegistryClient registry,
                                     final Map<String, Map<String, Integer>> expected) throws Exception {
        final var registrations = TopicCatalog.NODE_REGISTRATION.valueSerde(registry).serializer();
        final Instant now = Instant.now();
        for (int i = 0; i < NODES; i++) {
            final String id = String.format("fleet-%05d", i);
            final String region = "R" + i % REGIONS;
            final double[] centre = CENTRES[i % REGIONS];
            final NodeRegistration registration = NodeRegistration.newBuilder()
                    .setMetadata(EventMetadatas.newMetadata("fleet-test", Clock.systemUTC())).setNodeId(id)
                    .setIp(String.format("10.%d.%d.%d", i / 65_536, i / 256 % 256, i % 256)).setRegion(region)
                    .setHostname("host-" + i + ".example").setRole(NodeRole.MEASUREMENT)
                    .setCoords(new GeoCoordinates(centre[0] + (i * 37 % 100) / 25.0 - 2, centre[1] + (i * 53 % 100) / 25.0 - 2))
                    .setTags(i == 5 ? List.of("starlink", "ground-station-5") : List.of(i % 3 == 0 ? "starlink" : "cellular"))
                    .setRegisteredAt(now).build();
            producer.send(new ProducerRecord<>(TopicCatalog.NODE_REGISTRATION.name(), id,
                    registrations.serialize(TopicCatalog.NODE_REGISTRATION.name(), registration)));
            final String state = stateOf(i);
            expected.computeIfAbsent(region, r -> new TreeMap<>()).merge(state, 1, Integer::sum);
            if (!state.equals("UNKNOWN")) {
                producer.send(liveness(registry, id, LivenessState.valueOf(state), i % 200 == 9 ? 4 : 0));
            }
        }
        producer.flush();
    }

    private static String stateOf(final int i) {
        if (i % 47 == 3) {
            return "DOWN";
        }
        if (i % 23 == 1) {
            return "SUSPECT";
        }
        if (i % 97 == 2) {
            return "DEGRADED";
        }
        return i % 101 == 4 ? "UNKNOWN" : "UP";
    }

    private static ProducerRecord<String, byte[]> liveness(final SchemaRegistryClient registry, final String node,
                                                          final LivenessState state, final int flaps) {
        final Instant now = Instant.now();
        final NodeLiveness record = NodeLiveness.newBuilder()
                .setMetadata(EventMetadatas.newMetadata("fleet-test", Clock.systemUTC())).setNodeId(node)
                .setState(state).setLastActive(now).setSince(now).setFlapCount(flaps).build();
        return new ProducerRecord<>(TopicCatalog.NODE_LIVENESS.name(), node,
                TopicCatalog.NODE_LIVENESS.valueSerde(registry).serializer().serialize(TopicCatalog.NODE_LIVENESS.name(),
                        record));
    }

    private static String cell(final WebDriver browser, final String region, final String state) {
        return browser.findElement(By.cssSelector("#overview tr[data-region='" + region + "'] td[data-state='" + state
                + "']")).getText();
    }

    private static void awaitTotal(final WebDriver browser, final int nodes, final Duration within) {
        Awaitility.await("the overview counts " + nodes + " nodes").atMost(within).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    final List<WebElement> total = browser.findElements(
                            By.cssSelector("#overview tfoot tr td[data-state='ALL']"));
                    return !total.isEmpty() && total.get(0).getText().equals(String.valueOf(nodes));
                });
    }
}
