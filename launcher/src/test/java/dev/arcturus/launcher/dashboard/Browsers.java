package dev.arcturus.launcher.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.gateway.Gateway;
import dev.arcturus.gateway.GatewaySettings;
import dev.arcturus.gateway.tls.SelfSignedCertificate;
import dev.arcturus.gateway.tls.TlsFiles;
import dev.arcturus.launcher.plane.PlaneSettings;
import dev.arcturus.launcher.plane.RunningPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** What the dashboard's browser tests share: Debian's headless Chromium through chromedriver, and the plane's bus. */
final class Browsers {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("ARCTURUS_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("ARCTURUS_CHROMEDRIVER",
            "/usr/bin/chromedriver"));

    private Browsers() {
    }

    static WebDriver chromium() {
        assertThat(CHROMIUM).as("Debian chromium (ops/test-env/prepare.sh installs it)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian chromium-driver").isExecutable();
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // As root in a sandbox-less container, on a machine whose network is closed: no sandbox, no background calls.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--ignore-certificate-errors", "--window-size=1400,1000",
                "--user-data-dir=" + UUID.randomUUID().toString().transform(id -> System.getProperty("java.io.tmpdir")
                        + "/arcturus-chromium-" + id));
        final ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Signs in with the token on the page the browser shows (the sign-in box). */
    static void signIn(final WebDriver browser, final String token) {
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
    }

    /** Types into the node search box and waits until the list shows the node. */
    static WebElement search(final WebDriver browser, final String text, final String expectedNode) {
        final WebElement box = browser.findElement(By.id("search"));
        box.clear();
        box.sendKeys(text);
        return Awaitility.await("node " + expectedNode + " listed for search " + text).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20)).until(() -> browser.findElements(By.cssSelector(
                        "#node-list tr.node[data-node-id='" + expectedNode + "']")).stream().findFirst().orElse(null),
                        java.util.Objects::nonNull);
    }

    static Object script(final WebDriver browser, final String script, final Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    static void screenshot(final WebDriver browser, final String name) throws IOException {
        Files.write(Path.of("target", name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    static void screenshot(final WebElement element, final String name) throws IOException {
        Files.write(Path.of("target", name), element.getScreenshotAs(OutputType.BYTES));
    }

    /** Keeps what the browser showed, for whoever reads a failed build. */
    static void keepFailure(final WebDriver browser, final String name) throws IOException {
        Files.writeString(Path.of("target", name + ".html"), browser.getPageSource());
        screenshot(browser, name + ".png");
    }

    /** The plane as {@code ./arcturus up} runs it, with the TLS gateway's dashboard on a free port. */
    record DashboardPlane(RunningPlane plane, Gateway gateway, TlsFiles tls, String adminToken, String url)
            implements AutoCloseable {
        static DashboardPlane start(final Path dir) throws IOException {
            final RunningPlane plane = RunningPlane.start(new PlaneSettings(dir.resolve("data"), "127.0.0.1", 0, 0, 0,
                    Optional.empty(), Optional.empty(), (short) 1));
            final TlsFiles tls = SelfSignedCertificate.ensure(dir.resolve("tls"));
            final Gateway gateway = plane.startGateway(new GatewaySettings("127.0.0.1", 0, Optional.of(tls),
                    GatewaySettings.DEFAULT_DECISION_DEADLINE, dir.resolve("admin-token")).withDashboardPort(0));
            return new DashboardPlane(plane, gateway, tls, Files.readString(dir.resolve("admin-token")).strip(),
                    "https://127.0.0.1:" + gateway.dashboardPort().orElseThrow() + "/");
        }

        @Override
        public void close() {
            plane.close();
        }
    }

    static KafkaProducer<String, byte[]> producer(final RunningPlane plane) {
        return new KafkaProducer<>(plane.endpoints().kafkaClient().with(plane.endpoints().kafkaBootstrap(),
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 5)), new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
    }
}
