package dev.arcturus.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.arcturus.config.PlaneEndpoints;
import dev.arcturus.registry.client.CompatibilityLevel;
import dev.arcturus.registry.client.HttpSchemaRegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Arcturus's embedded schema registry: the Confluent Schema Registry REST API (the subset a producer, consumer
 * and operator need) with Confluent's JSON shapes, content type and error codes, stored in a compacted Kafka
 * topic. Standard Confluent clients work against it unchanged; in production, point the plane at a real
 * Confluent Schema Registry instead.
 *
 * <p>Endpoints: {@code GET /subjects}; {@code GET|POST /subjects/{s}/versions};
 * {@code GET /subjects/{s}/versions/{v|latest}[/schema]}; {@code POST /subjects/{s}} (lookup);
 * {@code GET /subjects/{s}/versions/{v}/referencedby};
 * {@code GET /schemas}; {@code GET /schemas/ids/{id}[/schema|/subjects|/versions]}; {@code GET /schemas/types};
 * {@code POST /compatibility/subjects/{s}/versions/{v}}; {@code GET|PUT /config};
 * {@code GET|PUT|DELETE /config/{s}}; {@code GET /mode}, {@code GET /mode/{s}} (always READWRITE: modes are not
 * supported, so a PUT is refused); {@code GET /contexts} (the default context only).
 */
public final class SchemaRegistryServer implements AutoCloseable {
    public static final String DEFAULT_TOPIC = "_schemas";

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Schemas are small; a larger body is refused rather than buffered. */
    private static final int MAX_BODY_BYTES = 1 << 20;

    private final SchemaLog schemaLog;
    private final SchemaRegistryService service;
    private final HttpServer http;
    private final ExecutorService executor;
    private final RegistryAccess access;

    private SchemaRegistryServer(final SchemaLog schemaLog, final SchemaRegistryService service,
                                 final HttpServer http, final ExecutorService executor, final RegistryAccess access) {
        this.schemaLog = schemaLog;
        this.service = service;
        this.http = http;
        this.executor = executor;
        this.access = access;
    }

    /**
     * Replays {@code topic} from the Kafka cluster at {@code bootstrap} and serves on {@code host:port}
     * (port 0 picks a free one). New subjects default to BACKWARD compatibility.
     */
    public static SchemaRegistryServer start(final String bootstrap, final String topic, final String host,
                                             final int port) throws IOException {
        return start(new PlaneEndpoints(bootstrap, "http://unused.invalid"), RegistryAccess.open(), topic, host, port);
    }

    /**
     * As {@link #start(String, String, String, int)}, reaching Kafka as {@code kafka}'s principal and letting in
     * whom {@code access} lets in.
     */
    public static SchemaRegistryServer start(final PlaneEndpoints kafka, final RegistryAccess access,
                                             final String topic, final String host, final int port)
            throws IOException {
        final SchemaLog schemaLog = new SchemaLog(kafka, topic);
        final SchemaRegistryService service = new SchemaRegistryService(schemaLog, CompatibilityLevel.BACKWARD);
        final HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 64);
        final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            final Thread thread = new Thread(r, "schema-registry-http");
            thread.setDaemon(true);
            return thread;
        });
        final SchemaRegistryServer server = new SchemaRegistryServer(schemaLog, service, http, executor, access);
        http.createContext("/", server::handle);
        http.setExecutor(executor);
        http.start();
        log.info("Schema registry serving {} from topic {}", server.url(), topic);
        return server;
    }

    public String url() {
        final InetSocketAddress address = http.getAddress();
        return "http://" + address.getHostString() + ":" + address.getPort();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        schemaLog.close();
    }

    private void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                authorize(exchange);
                final JsonNode answer = route(exchange.getRequestMethod(), segments(exchange), exchange);
                respond(exchange, 200, answer);
            } catch (final RegistryError e) {
                respond(exchange, e.httpStatus(), error(e.errorCode(), e.getMessage()));
                if (e.httpStatus() >= 500) {
                    log.error("Schema registry {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                }
            } catch (final RuntimeException e) {
                log.error("Schema registry {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                respond(exchange, 500, error(50001, "Error in the backend data store - " + e.getMessage()));
            }
        }
    }

    /** Refuses a request its caller may not make, logging who tried (never a credential). */
    private void authorize(final HttpExchange exchange) {
        final String method = exchange.getRequestMethod();
        final List<String> path = segments(exchange);
        final boolean register = "POST".equals(method) && path.size() == 3 && "subjects".equals(path.get(0))
                && "versions".equals(path.get(2));
        final boolean write = register || "PUT".equals(method) || "DELETE".equals(method);
        final String operation = method + " " + exchange.getRequestURI().getPath();
        try {
            access.check(write, operation, exchange.getRequestHeaders().getFirst("Authorization"));
        } catch (final RegistryError refused) {
            log.warn("Schema registry refused {} from {}: {}", operation, exchange.getRemoteAddress(),
                    refused.getMessage());
            throw refused;
        }
    }

    private JsonNode route(final String method, final List<String> path, final HttpExchange exchange)
            throws IOException {
        final int n = path.size();
        final String first = n > 0 ? path.get(0) : "";
        if (n == 0) {
            return only(method, "GET", JSON.createObjectNode());
        }
        if ("subjects".equals(first)) {
            return subjects(method, path, exchange);
        }
        if ("schemas".equals(first) && n >= 3 && n <= 4 && "ids".equals(path.get(1))) {
            only(method, "GET", null);
            return schemaById(parseId(path.get(2)), n == 4 ? path.get(3) : "");
        }
        if ("schemas".equals(first) && n == 1) {
            only(method, "GET", null);
            final var array = JSON.createArrayNode();
            final String prefix = parameter(exchange, "subjectPrefix").orElse("");
            service.all(prefix, parameter(exchange, "latestOnly").map(Boolean::parseBoolean).orElse(false))
                    .forEach(v -> array.add(versionJson(v)));
            return array;
        }
        if ("mode".equals(first) && n <= 2) {
            if (!"GET".equals(method)) {
                throw new RegistryError(422, 42204, "Modes are not supported by this registry: it is always READWRITE");
            }
            if (n == 2) {
                service.versions(path.get(1)); // 40401 for an unknown subject, as Confluent answers
            }
            return JSON.createObjectNode().put("mode", "READWRITE");
        }
        if ("contexts".equals(first) && n == 1) {
            return only(method, "GET", JSON.createArrayNode().add("."));
        }
        if ("schemas".equals(first) && n == 2 && "types".equals(path.get(1))) {
            return only(method, "GET", JSON.createArrayNode().add("AVRO"));
        }
        if ("compatibility".equals(first) && n == 5 && "subjects".equals(path.get(1)) && "versions".equals(path.get(3))) {
            only(method, "POST", null);
            final List<String> violations = service.compatibility(path.get(2), path.get(4), schemaOf(exchange));
            final ObjectNode answer = JSON.createObjectNode().put("is_compatible", violations.isEmpty());
            if (query(exchange).contains("verbose=true")) {
                violations.forEach(answer.putArray("messages")::add);
            }
            return answer;
        }
        if ("config".equals(first) && n <= 2) {
            return config(method, n == 2 ? path.get(1) : null, exchange);
        }
        throw new RegistryError(404, 404, "HTTP 404 Not Found");
    }

    private JsonNode subjects(final String method, final List<String> path, final HttpExchange exchange)
            throws IOException {
        final int n = path.size();
        if (n == 1) {
            only(method, "GET", null);
            final var array = JSON.createArrayNode();
            service.subjects().forEach(array::add);
            return array;
        }
        final String subject = path.get(1);
        if (n == 2) {
            only(method, "POST", null);
            return versionJson(service.lookup(subject, schemaOf(exchange)));
        }
        if (!"versions".equals(path.get(2))) {
            throw new RegistryError(404, 404, "HTTP 404 Not Found");
        }
        if (n == 3 && "POST".equals(method)) {
            return JSON.createObjectNode().put("id", service.register(subject, schemaOf(exchange)));
        }
        if (n == 3) {
            only(method, "GET", null);
            final var array = JSON.createArrayNode();
            service.versions(subject).forEach(array::add);
            return array;
        }
        only(method, "GET", null);
        final SchemaRegistryService.SubjectVersion version = service.version(subject, path.get(3));
        if (n == 5 && "schema".equals(path.get(4))) {
            return JSON.readTree(version.schema());
        }
        if (n == 5 && "referencedby".equals(path.get(4))) {
            return JSON.createArrayNode(); // schema references are refused at registration, so nothing refers to it
        }
        if (n != 4) {
            throw new RegistryError(404, 404, "HTTP 404 Not Found");
        }
        return versionJson(version);
    }

    private JsonNode config(final String method, final String subject, final HttpExchange exchange)
            throws IOException {
        switch (method) {
            case "GET" -> {
                final CompatibilityLevel level = subject == null ? service.globalLevel()
                        : service.subjectLevel(subject).orElseGet(() -> {
                            if (query(exchange).contains("defaultToGlobal=true")) {
                                return service.globalLevel();
                            }
                            throw RegistryError.subjectLevelConfigNotFound(subject);
                        });
                return JSON.createObjectNode().put("compatibilityLevel", level.name());
            }
            case "PUT" -> {
                final JsonNode body = body(exchange);
                final String requested = body.path("compatibility").asText(body.path("compatibilityLevel").asText(""));
                return JSON.createObjectNode().put("compatibility", service.setLevel(subject, requested).name());
            }
            case "DELETE" -> {
                if (subject == null) {
                    throw new RegistryError(405, 405, "HTTP 405 Method Not Allowed");
                }
                return JSON.createObjectNode().put("compatibilityLevel", service.deleteSubjectLevel(subject).name());
            }
            default -> throw new RegistryError(405, 405, "HTTP 405 Method Not Allowed");
        }
    }

    /** {@code /schemas/ids/{id}}, and its {@code /schema}, {@code /subjects} and {@code /versions}. */
    private JsonNode schemaById(final int id, final String part) throws IOException {
        switch (part) {
            case "" -> {
                final ObjectNode answer = JSON.createObjectNode();
                answer.put("schema", service.schemaById(id));
                return answer;
            }
            case "schema" -> {
                return JSON.readTree(service.schemaById(id));
            }
            case "subjects" -> {
                final var array = JSON.createArrayNode();
                service.usesOf(id).stream().map(SchemaRegistryService.SubjectVersion::subject).distinct()
                        .forEach(array::add);
                return array;
            }
            case "versions" -> {
                final var array = JSON.createArrayNode();
                service.usesOf(id).forEach(v -> array.addObject().put("subject", v.subject())
                        .put("version", v.version()));
                return array;
            }
            default -> throw new RegistryError(404, 404, "HTTP 404 Not Found");
        }
    }

    private static Optional<String> parameter(final HttpExchange exchange, final String name) {
        for (final String pair : query(exchange).split("&")) {
            final int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return Optional.of(URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static JsonNode only(final String method, final String allowed, final JsonNode answer) {
        if (!allowed.equals(method)) {
            throw new RegistryError(405, 405, "HTTP 405 Method Not Allowed");
        }
        return answer;
    }

    private static ObjectNode versionJson(final SchemaRegistryService.SubjectVersion version) {
        return JSON.createObjectNode().put("subject", version.subject()).put("version", version.version())
                .put("id", version.id()).put("schema", version.schema());
    }

    private static int parseId(final String text) {
        try {
            return Integer.parseInt(text);
        } catch (final NumberFormatException e) {
            throw RegistryError.schemaNotFound();
        }
    }

    private static String schemaOf(final HttpExchange exchange) throws IOException {
        final JsonNode body = body(exchange);
        final String type = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw RegistryError.invalidSchema("schemaType " + type + " is not supported by this registry (AVRO only)");
        }
        if (body.path("references").size() > 0) {
            throw RegistryError.invalidSchema("schema references are not supported by this registry");
        }
        final JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw RegistryError.invalidSchema("the request body needs a string field 'schema'");
        }
        return schema.asText();
    }

    private static JsonNode body(final HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            final byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new RegistryError(413, 413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
            }
            try {
                final JsonNode body = JSON.readTree(bytes.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : bytes);
                if (body == null || !body.isObject()) {
                    throw new RegistryError(400, 400, "The request body must be a JSON object");
                }
                return body;
            } catch (final JsonProcessingException e) {
                throw new RegistryError(400, 400, "Malformed JSON: " + e.getOriginalMessage());
            }
        }
    }

    private static List<String> segments(final HttpExchange exchange) {
        return Arrays.stream(exchange.getRequestURI().getRawPath().split("/"))
                .filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8))
                .toList();
    }

    private static String query(final HttpExchange exchange) {
        final String query = exchange.getRequestURI().getRawQuery();
        return query == null ? "" : query;
    }

    private static ObjectNode error(final int code, final String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static void respond(final HttpExchange exchange, final int status, final JsonNode body) throws IOException {
        final byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
