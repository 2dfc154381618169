package dev.arcturus.connector.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the node's trigger providers ({@link ProviderSpec}) and hands each value to the node's telemetry, remembering
 * when every variable was last refreshed so a trigger never decides on a stale reading. A provider that fails is
 * logged once when it starts failing and once when it recovers.
 */
public final class TriggerProviders implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TriggerProviders.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(20);

    private final List<ProviderSpec> providers;
    private final BiConsumer<String, Double> sink;
    private final Map<String, Freshness> freshness = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService polls = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "trigger-providers");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Freshness(String provider, Instant at, Duration staleAfter) {
    }

    public TriggerProviders(final List<ProviderSpec> providers, final BiConsumer<String, Double> sink) {
        this.providers = List.copyOf(providers);
        this.sink = sink;
    }

    public TriggerProviders start() {
        for (final ProviderSpec provider : providers) {
            polls.scheduleWithFixedDelay(() -> poll(provider), 0, provider.period().toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Polls one provider now (the schedule calls this; tests too). */
    public void poll(final ProviderSpec provider) {
        try {
            final Map<String, Double> values = read(provider);
            final Instant now = Instant.now();
            values.forEach((name, value) -> {
                sink.accept(name, value);
                freshness.put(name, new Freshness(provider.name(), now, provider.staleAfter()));
            });
            if (failing.remove(provider.name())) {
                log.info("Trigger provider {} answers again ({} values)", provider.name(), values.size());
            }
        } catch (final IOException | RuntimeException e) {
            if (failing.add(provider.name())) {
                log.warn("Trigger provider {} failed ({}); its values go stale after {} s", provider.name(),
                        e.toString(), provider.staleAfter().toSeconds());
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Why a trigger reading {@code variables} must not be trusted now, or empty: a provided variable whose last
     * refresh is older than its provider's {@code stale_after}. Variables no provider publishes are not judged here.
     */
    public Optional<String> stale(final Set<String> variables, final Instant now) {
        for (final String variable : variables) {
            final Freshness fresh = freshness.get(base(variable));
            if (fresh != null && Duration.between(fresh.at(), now).compareTo(fresh.staleAfter()) > 0) {
                return Optional.of("stale: " + base(variable) + " last refreshed "
                        + Duration.between(fresh.at(), now).toSeconds() + " s ago by provider " + fresh.provider()
                        + " (stale after " + fresh.staleAfter().toSeconds() + " s)");
            }
        }
        return Optional.empty();
    }

    /** {@code x_3} and {@code x_avg} read {@code x}'s history. */
    private static String base(final String variable) {
        return variable.replaceFirst("_(?:[1-5]|avg)$", "");
    }

    private Map<String, Double> read(final ProviderSpec provider) throws IOException, InterruptedException {
        if (provider.tcpTarget() != null) {
            return Map.of(provider.variable(), tcpRttMillis(provider.tcpTarget()));
        }
        final String body;
        if (provider.url() != null) {
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(provider.url())
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " from " + provider.url());
            }
            body = response.body();
        } else {
            body = run(provider.exec());
        }
        return numbers(JSON.readTree(body), provider.name());
    }

    private static String run(final List<String> argv) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final byte[] out;
        try (InputStream in = process.getInputStream()) {
            out = in.readNBytes(1 << 20);
        }
        if (!process.waitFor(EXEC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException(argv.get(0) + " did not finish within " + EXEC_TIMEOUT.toSeconds() + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException(argv.get(0) + " exited with " + process.exitValue());
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    static Map<String, Double> numbers(final JsonNode root, final String provider) throws IOException {
        if (root == null || !root.isObject()) {
            throw new IOException("provider " + provider + " must print one JSON object of numbers");
        }
        final Map<String, Double> values = new HashMap<>();
        root.fields().forEachRemaining(field -> {
            final JsonNode value = field.getValue();
            if (value.isNumber()) {
                values.put(field.getKey(), value.doubleValue());
            } else if (value.isBoolean()) {
                values.put(field.getKey(), value.booleanValue() ? 1.0 : 0.0);
            }
        });
        return values;
    }

    /** The built-in provider: a TCP handshake's time to host:port, in milliseconds. */
    private static double tcpRttMillis(final String target) throws IOException {
        final int colon = target.lastIndexOf(':');
        final long started = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon
                    + 1))), 5_000);
        }
        return (System.nanoTime() - started) / 1e6;
    }

    @Override
    public void close() {
        polls.shutdownNow();
    }
}
