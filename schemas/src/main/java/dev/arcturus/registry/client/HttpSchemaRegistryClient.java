package dev.arcturus.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * The {@link SchemaRegistryClient} over the Confluent Schema Registry REST API (v1). It works against Confluent Schema Registry itself,
 * any Confluent-API registry, and Arcturus's embedded registry.
 *
 * <p>Ids are immutable once assigned, so schema-by-id and (subject, schema)-to-id answers are cached for the
 * life of the client: the serde hot path makes no HTTP call after the first record of each schema.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUri;
    private final HttpClient http;
    private final Duration requestTimeout;
    /** The basic-auth header, if this client signs in; never logged. */
    private final Optional<String> authorization;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {
    }

    public HttpSchemaRegistryClient(final String baseUrl) {
        this(baseUrl, Duration.ofSeconds(10), Optional.empty());
    }

    /** A client that signs every request in with HTTP basic auth as {@code userInfo} ({@code user:password}). */
    public HttpSchemaRegistryClient(final String baseUrl, final Optional<String> userInfo) {
        this(baseUrl, Duration.ofSeconds(10), userInfo);
    }

    public HttpSchemaRegistryClient(final String baseUrl, final Duration requestTimeout,
                                    final Optional<String> userInfo) {
        final String trimmed = Objects.requireNonNull(baseUrl, "baseUrl").replaceAll("/+$", "");
        this.baseUri = URI.create(trimmed);
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
        this.authorization = userInfo.map(info -> "Basic " + java.util.Base64.getEncoder()
                .encodeToString(info.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String baseUrl() {
        return baseUri.toString();
    }

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    @Override
    public int register(final String subject, final Schema schema) {
        final SubjectSchema cacheKey = new SubjectSchema(subject, schema);
        final Integer cached = idsBySubjectSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        final JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        final int id = answer.path("id").asInt();
        idsBySubjectSchema.put(cacheKey, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** Finds the version of {@code subject} that holds {@code schema}; empty when the subject lacks it. */
    @Override
    public Optional<RegisteredSchema> lookup(final String subject, final Schema schema) {
        try {
            final JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
            return Optional.of(toRegistered(answer));
        } catch (final SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND
                    || e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The schema with global id {@code id}. */
    @Override
    public Schema schemaById(final int id) {
        final Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        final JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        final Schema schema = new Schema.Parser().parse(answer.path("schema").asText());
        schemasById.put(id, schema);
        return schema;
    }

    /** Version {@code version} of {@code subject}; {@code "latest"} is accepted. */
    @Override
    public RegisteredSchema version(final String subject, final String version) {
        return toRegistered(send("GET", "/subjects/" + encode(subject) + "/versions/" + encode(version), null));
    }

    @Override
    public List<String> subjects() {
        return strings(send("GET", "/subjects", null));
    }

    @Override
    public List<Integer> versions(final String subject) {
        final List<Integer> versions = new ArrayList<>();
        send("GET", "/subjects/" + encode(subject) + "/versions", null).forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    /** Whether {@code schema} may be registered after {@code version} of {@code subject} under its level. */
    @Override
    public boolean isCompatible(final String subject, final String version, final Schema schema) {
        final JsonNode answer = send("POST",
                "/compatibility/subjects/" + encode(subject) + "/versions/" + encode(version), schemaBody(schema));
        return answer.path("is_compatible").asBoolean(false);
    }

    /** The global compatibility level. */
    @Override
    public CompatibilityLevel globalCompatibility() {
        return level(send("GET", "/config", null).path("compatibilityLevel").asText());
    }

    /** The subject's level, falling back to the global one when the subject has none of its own. */
    @Override
    public CompatibilityLevel subjectCompatibility(final String subject) {
        return level(send("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null)
                .path("compatibilityLevel").asText());
    }

    @Override
    public void setGlobalCompatibility(final CompatibilityLevel level) {
        send("PUT", "/config", compatibilityBody(level));
    }

    @Override
    public void setSubjectCompatibility(final String subject, final CompatibilityLevel level) {
        send("PUT", "/config/" + encode(subject), compatibilityBody(level));
    }

    private static CompatibilityLevel level(final String name) {
        return CompatibilityLevel.parse(name).orElseThrow(
                () -> new SchemaRegistryException(200, -1, "registry answered an unknown compatibility level: " + name));
    }

    private static ObjectNode schemaBody(final Schema schema) {
        final ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return body;
    }

    private static ObjectNode compatibilityBody(final CompatibilityLevel level) {
        final ObjectNode body = JSON.createObjectNode();
        body.put("compatibility", level.name());
        return body;
    }

    private RegisteredSchema toRegistered(final JsonNode node) {
        final Schema schema = new Schema.Parser().parse(node.path("schema").asText());
        final int id = node.path("id").asInt();
        schemasById.putIfAbsent(id, schema);
        return new RegisteredSchema(node.path("subject").asText(), node.path("version").asInt(), id, schema);
    }

    private static List<String> strings(final JsonNode array) {
        final List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String encode(final String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(final String method, final String path, final JsonNode body) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUri + path))
                .timeout(requestTimeout)
                .header("Accept", CONTENT_TYPE);
        authorization.ifPresent(value -> request.header("Authorization", value));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        final HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (final IOException e) {
            throw new SchemaRegistryException(method + " " + baseUri + path + " failed", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(method + " " + baseUri + path + " interrupted", e);
        }
        return parse(method, path, response);
    }

    private JsonNode parse(final String method, final String path, final HttpResponse<String> response) {
        final JsonNode json;
        try {
            json = JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
        } catch (final IOException e) {
            throw new SchemaRegistryException(method + " " + path + ": registry answered HTTP "
                    + response.statusCode() + " with a body that is not JSON", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new SchemaRegistryException(response.statusCode(), json.path("error_code").asInt(response.statusCode()),
                    method + " " + path + ": " + json.path("message").asText("HTTP " + response.statusCode()));
        }
        return json;
    }
}
