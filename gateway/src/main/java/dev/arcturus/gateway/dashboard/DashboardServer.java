package dev.arcturus.gateway.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.arcturus.avro.RunState;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.gateway.api.Plane;
import dev.arcturus.gateway.artifacts.ArtifactStore;
import dev.arcturus.gateway.auth.PrincipalDirectory;
import dev.arcturus.gateway.tls.TlsFiles;
import dev.arcturus.topics.TopicCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard the gateway serves: one page (static HTML, CSS and JS from the classpath, no inline script, a
 * strict Content-Security-Policy) that loads a snapshot and then follows {@code /api/events}, a Server-Sent Events
 * stream fed by the gateway's view — liveness, runs, region paths and placement actions arrive as they are
 * committed, never by reloading. ADMIN only (see {@link DashboardSessions}); HTTPS with the gateway's certificate.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
    static final String SESSION_COOKIE = "arcturus_session";
    private static final int MAX_LOGIN_BODY = 4096;
    private static final Map<String, String> STATIC = Map.ofEntries(Map.entry("/", "index.html"),
            Map.entry("/index.html", "index.html"), Map.entry("/dashboard.js", "dashboard.js"),
            Map.entry("/dashboard.css", "dashboard.css"),
            // Bundled from npm by the build (gateway/pom.xml, src/main/frontend): no CDN, no tiles from the internet.
            Map.entry("/vendor/leaflet.js", "vendor/leaflet.js"), Map.entry("/vendor/leaflet.css", "vendor/leaflet.css"),
            Map.entry("/vendor/uPlot.iife.min.js", "vendor/uPlot.iife.min.js"),
            Map.entry("/vendor/uPlot.min.css", "vendor/uPlot.min.css"),
            Map.entry("/vendor/topojson-client.min.js", "vendor/topojson-client.min.js"),
            Map.entry("/vendor/land-110m.json", "vendor/land-110m.json"));

    private final HttpServer server;
    private final ExecutorService threads;
    private final DashboardSessions sessions;
    private final DashboardViews views;
    private final DashboardFeed feed;
    private final BusHealth busHealth;
    private final Plane plane;
    private final boolean secure;

    private DashboardServer(final HttpServer server, final Plane plane, final PrincipalDirectory directory,
                            final boolean secure, final PlaneEndpoints endpoints) {
        this.server = server;
        this.busHealth = new BusHealth(endpoints);
        this.plane = plane;
        this.secure = secure;
        this.sessions = new DashboardSessions(directory, plane.clock());
        this.views = new DashboardViews(plane.view(), plane.clock());
        this.feed = new DashboardFeed(plane.view(), views);
        final AtomicInteger n = new AtomicInteger();
        // Each event stream holds a thread while open; a cached pool lets many browsers watch at once.
        this.threads = Executors.newCachedThreadPool(r -> {
            final Thread t = new Thread(r, "dashboard-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::route);
        server.start();
    }

    /** Serves on {@code host:port} (0: any free port), over HTTPS when the gateway has TLS files. */
    public static DashboardServer start(final String host, final int port, final Optional<TlsFiles> tls,
                                        final Plane plane, final PrincipalDirectory directory,
                                        final PlaneEndpoints endpoints) {
        try {
            final InetSocketAddress address = new InetSocketAddress(host, port);
            final HttpServer server;
            if (tls.isPresent()) {
                final HttpsServer https = HttpsServer.create(address, 64);
                https.setHttpsConfigurator(new HttpsConfigurator(PemKeys.serverContext(
                        tls.get().certificateChain(), tls.get().privateKey())));
                server = https;
            } else {
                server = HttpServer.create(address, 64);
            }
            final DashboardServer dashboard = new DashboardServer(server, plane, directory, tls.isPresent(), endpoints);
            log.info("Dashboard serving on {}://{}:{}/", tls.isPresent() ? "https" : "http", host, dashboard.port());
            return dashboard;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot serve the dashboard on " + host + ":" + port + " (in use?)", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void route(final HttpExchange exchange) throws IOException {
        try (exchange) {
            securityHeaders(exchange);
            final String path = exchange.getRequestURI().getPath();
            final String method = exchange.getRequestMethod();
            if (STATIC.containsKey(path) && "GET".equals(method)) {
                serveStatic(exchange, STATIC.get(path));
            } else if ("/login".equals(path) && "POST".equals(method)) {
                login(exchange);
            } else if ("/logout".equals(path) && "POST".equals(method)) {
                sessions.close(cookie(exchange, SESSION_COOKIE));
                exchange.getResponseHeaders().add("Set-Cookie", SESSION_COOKIE + "=; Max-Age=0; Path=/; HttpOnly"
                        + "; SameSite=Strict" + (secure ? "; Secure" : ""));
                redirect(exchange, "/");
            } else if (path.startsWith("/api/") || path.startsWith("/artifacts/")) {
                if (sessions.principal(cookie(exchange, SESSION_COOKIE)).isEmpty()) {
                    send(exchange, 401, "application/json", "{\"error\":\"sign in with an ADMIN token\"}");
                    return;
                }
                api(exchange, path);
            } else {
                send(exchange, 404, "text/plain", "not found");
            }
        } catch (final IOException e) {
            log.debug("Dashboard request {} ended: {}", exchange.getRequestURI().getPath(), e.toString());
        } catch (final RuntimeException e) {
            log.warn("Dashboard request {} failed", exchange.getRequestURI().getPath(), e);
        }
    }

    private void api(final HttpExchange exchange, final String path) throws IOException {
        if ("/api/events".equals(path)) {
            feed.stream(exchange);
        } else if ("/api/snapshot".equals(path)) {
            send(exchange, 200, "application/json", views.snapshot());
        } else if ("/api/session".equals(path)) {
            send(exchange, 200, "application/json", "{\"signedIn\":true}"); // the page's cheap sign-in probe
        } else if ("/api/runs".equals(path)) {
            final Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            final String job = query.getOrDefault("job", "");
            final String node = query.getOrDefault("node", "");
            if (job.length() > 128 || node.length() > 128) {
                send(exchange, 400, "application/json", "{\"error\":\"job, node: at most 128 characters\"}");
                return;
            }
            send(exchange, 200, "application/json", views.runs(job, node));
        } else if ("/api/health".equals(path)) {
            send(exchange, 200, "application/json", busHealth.json());
        } else if ("/api/runs-digest".equals(path)) {
            send(exchange, 200, "application/json", views.runDigest());
        } else if ("/api/latency-history".equals(path)) {
            send(exchange, 200, "application/json", views.latencyHistory());
        } else if ("/api/calendar".equals(path)) {
            final Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            final String node = query.getOrDefault("node", "");
            if (node.isEmpty() || node.length() > 128) {
                send(exchange, 400, "application/json", "{\"error\":\"node: required, at most 128 characters\"}");
                return;
            }
            send(exchange, 200, "application/json", views.calendar(node, plane.clock().instant(), 24));
        } else if (path.startsWith("/artifacts/")) {
            artifact(exchange, path.substring("/artifacts/".length()));
        } else {
            send(exchange, 404, "application/json", "{\"error\":\"not found\"}");
        }
    }

    /** Redirects to a short-lived signed download URL; the storage key never reaches the page. */
    private void artifact(final HttpExchange exchange, final String runId) throws IOException {
        final Optional<RunState> run = plane.view().get(TopicCatalog.RUN_STATE, runId);
        final Optional<ArtifactStore> store = plane.artifacts();
        if (run.isEmpty() || run.get().getArtifactBlob() == null) {
            send(exchange, 404, "text/plain", "run " + runId + " has no artifact");
            return;
        }
        if (store.isEmpty()) {
            send(exchange, 503, "text/plain", "artifact storage is not configured on this gateway");
            return;
        }
        final Plane.ArtifactLocation location = plane.artifactOf(run.get());
        redirect(exchange, store.get().downloadUrl(location.container(), location.blob(), Duration.ofMinutes(10)).url());
    }

    private void login(final HttpExchange exchange) throws IOException {
        final byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_LOGIN_BODY + 1);
        }
        if (body.length > MAX_LOGIN_BODY) {
            send(exchange, 413, "text/plain", "too large");
            return;
        }
        final String token = query(new String(body, StandardCharsets.UTF_8)).get("token");
        final Optional<String> session = sessions.open(token);
        if (session.isEmpty()) {
            log.info("Dashboard sign-in refused from {}", exchange.getRemoteAddress().getAddress().getHostAddress());
            redirect(exchange, "/?denied=1");
            return;
        }
        exchange.getResponseHeaders().add("Set-Cookie", SESSION_COOKIE + "=" + session.get() + "; Path=/; HttpOnly"
                + "; SameSite=Strict; Max-Age=" + DashboardSessions.MAX_AGE.toSeconds() + (secure ? "; Secure" : ""));
        redirect(exchange, "/");
    }

    private static void serveStatic(final HttpExchange exchange, final String file) throws IOException {
        try (InputStream in = DashboardServer.class.getResourceAsStream("/dashboard/" + file)) {
            if (in == null) {
                send(exchange, 404, "text/plain", "not found");
                return;
            }
            final String type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css"
                    : file.endsWith(".json") ? "application/json" : "text/html";
            send(exchange, 200, type + "; charset=utf-8", in.readAllBytes());
        }
    }

    private static void securityHeaders(final HttpExchange exchange) {
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
    }

    static void send(final HttpExchange exchange, final int status, final String type, final String body)
            throws IOException {
        send(exchange, status, type.contains("charset") ? type : type + "; charset=utf-8",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(final HttpExchange exchange, final int status, final String type, final byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void redirect(final HttpExchange exchange, final String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(303, -1);
    }

    static String cookie(final HttpExchange exchange, final String name) {
        for (final String header : exchange.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (final String part : header.split(";")) {
                final String trimmed = part.trim();
                if (trimmed.startsWith(name + "=")) {
                    return trimmed.substring(name.length() + 1);
                }
            }
        }
        return null;
    }

    private static Map<String, String> query(final String raw) {
        final Map<String, String> values = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (final String pair : raw.split("&")) {
            final int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    @Override
    public void close() {
        feed.close();
        busHealth.close();
        server.stop(0);
        threads.shutdownNow();
    }
}
