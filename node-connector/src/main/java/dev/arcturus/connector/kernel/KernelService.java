package dev.arcturus.connector.kernel;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel service for privileged experiments: a small HTTP endpoint on the Docker bridge that lets a run whose
 * owner passed the gateway's kernel-access check read or set the TCP congestion control <em>of its own container's
 * network namespace</em>, among those the kernel offers. That is the whole API:
 * <pre>
 *   GET  /v1/cca            → "current bbr\navailable reno bbr cubic\n"
 *   POST /v1/cca  body bbr  → "ok bbr\n"   (400 naming the choices for anything else)
 * </pre>
 * LEOScope's kernel service authenticated callers by source IP, changed the host-wide setting, wrote any file path
 * it was given and ran any other string as a root command. Here each run gets its own bearer token (random, 256 bits,
 * kept only as a hash, revoked when the run ends), the change is confined to the run's network namespace (it ends
 * with the container), the value must be one the kernel lists, and the change is made with a fixed argument vector
 * ({@code nsenter --target <pid> --net -- sysctl -w net.ipv4.tcp_congestion_control=<name>}): no shell, no paths.
 */
public final class KernelService implements AutoCloseable {
    static final Path AVAILABLE = Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control");
    private static final String CCA_KEY = "net.ipv4.tcp_congestion_control";
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,16}");
    private static final int MAX_BODY = 64;
    private static final Logger log = LoggerFactory.getLogger(KernelService.class);

    /** A run's right to the service: its id (for the logs) and how to find its container's process. */
    private record Grant(String runId, LongSupplier containerPid) {
    }

    private final HttpServer server;
    private final Map<String, Grant> grantsByTokenHash = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    private KernelService(final HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
            final Thread thread = new Thread(runnable, "kernel-service");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    /** Listens on {@code bindAddress} (the Docker bridge's gateway, so only containers reach it), any free port. */
    public static KernelService start(final String bindAddress) throws IOException {
        final KernelService service = new KernelService(HttpServer.create(new InetSocketAddress(bindAddress, 0), 16));
        log.info("Kernel service listening on {} (reachable from containers on the bridge only)", service.url());
        return service;
    }

    /** The URL a container uses, e.g. {@code http://172.17.0.1:41234}. */
    public String url() {
        final InetSocketAddress address = server.getAddress();
        return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** Issues a run's token; {@code containerPid} is asked at request time (the container starts after). */
    public String grant(final String runId, final LongSupplier containerPid) {
        final byte[] secret = new byte[32];
        random.nextBytes(secret);
        final String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        grantsByTokenHash.put(hash(token), new Grant(runId, containerPid));
        return token;
    }

    public void revoke(final String token) {
        grantsByTokenHash.remove(hash(token));
    }

    private void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                serve(exchange);
            } catch (final KernelCommandException e) {
                log.warn("Kernel service: {}", e.getMessage());
                reply(exchange, 500, e.getMessage());
            }
        }
    }

    private void serve(final HttpExchange exchange) throws IOException {
        final String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        final Grant grant = authorization == null || !authorization.startsWith("Bearer ") ? null
                : grantsByTokenHash.get(hash(authorization.substring("Bearer ".length()).strip()));
        if (grant == null) {
            reply(exchange, 401, "a run's kernel token is required (Authorization: Bearer $ARCTURUS_KERNEL_TOKEN)");
            return;
        }
        if (!exchange.getRequestURI().getPath().equals("/v1/cca")) {
            reply(exchange, 404, "only GET and POST /v1/cca (the TCP congestion control of this run's network)");
            return;
        }
        switch (exchange.getRequestMethod()) {
            case "GET" -> reply(exchange, 200, "current " + sysctl(grant, "-n", CCA_KEY).strip()
                    + "\navailable " + String.join(" ", available()));
            case "POST" -> change(exchange, grant);
            default -> reply(exchange, 405, "only GET and POST /v1/cca");
        }
    }

    private void change(final HttpExchange exchange, final Grant grant) throws IOException {
        final String wanted = body(exchange.getRequestBody()).strip();
        final List<String> choices = available();
        if (!NAME.matcher(wanted).matches() || !choices.contains(wanted)) {
            reply(exchange, 400, "cca: '" + (wanted.length() > 16 ? wanted.substring(0, 16) + "…" : wanted)
                    + "' is not one of the kernel's: " + String.join(" ", choices));
            return;
        }
        sysctl(grant, "-w", CCA_KEY + "=" + wanted);
        log.info("Kernel service: run {} set its TCP congestion control to {}", grant.runId(), wanted);
        reply(exchange, 200, "ok " + wanted);
    }

    private static String sysctl(final Grant grant, final String mode, final String argument) {
        final long pid = grant.containerPid().getAsLong();
        if (pid <= 0) {
            throw new KernelCommandException("run " + grant.runId() + " has no running container");
        }
        final List<String> argv = List.of("nsenter", "--target", Long.toString(pid), "--net", "--", "sysctl", mode,
                argument);
        try {
            final Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new KernelCommandException("sysctl in run " + grant.runId() + "'s network failed: "
                        + output.strip());
            }
            return output;
        } catch (final IOException e) {
            throw new KernelCommandException("cannot run nsenter/sysctl: " + e.getMessage());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelCommandException("interrupted");
        }
    }

    static List<String> available() {
        try {
            return List.of(Files.readString(AVAILABLE).strip().split("\\s+"));
        } catch (final IOException e) {
            throw new KernelCommandException("cannot read " + AVAILABLE + ": " + e.getMessage());
        }
    }

    private static String body(final InputStream in) throws IOException {
        return new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
    }

    private static void reply(final HttpExchange exchange, final int status, final String text) throws IOException {
        final byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String hash(final String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A kernel command that could not be carried out; its message is safe to return to the run. */
    static final class KernelCommandException extends RuntimeException {
        KernelCommandException(final String message) {
            super(message);
        }
    }
}
