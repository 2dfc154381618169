package dev.arcturus.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives every endpoint over plain HTTP with the request shapes a standard Confluent client sends, and checks
 * Confluent's response shapes, content type and error codes.
 */
class SchemaRegistryServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String V1 = "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"node\",\"type\":\"string\"}]}";
    private static final String V2_WITH_DEFAULT = "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"node\",\"type\":\"string\"},{\"name\":\"rtt\",\"type\":\"long\",\"default\":0}]}";
    private static final String V2_WITHOUT_DEFAULT = "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"node\",\"type\":\"string\"},{\"name\":\"rtt\",\"type\":\"long\"}]}";

    private final HttpClient http = HttpClient.newHttpClient();
    private String logTopic;
    private SchemaRegistryServer server;

    @BeforeEach
    void startRegistryOnItsOwnLog() throws IOException {
        logTopic = "_schemas-test-" + UUID.randomUUID().toString().substring(0, 8);
        server = SchemaRegistryServer.start(TestBroker.bootstrapServers(), logTopic, "127.0.0.1", 0);
    }

    @AfterEach
    void stopRegistry() {
        server.close();
    }

    @Test
    void shouldRegisterASchemaAndServeItByIdWithConfluentShapes() throws Exception {
        final Reply registered = post("/subjects/probes-value/versions", body(V1));
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.contentType()).isEqualTo(CONTENT_TYPE);
        final int id = registered.json().get("id").asInt();

        final Reply byId = get("/schemas/ids/" + id);
        assertThat(byId.status()).isEqualTo(200);
        assertThat(JSON.readTree(byId.json().get("schema").asText())).isEqualTo(JSON.readTree(V1));

        final Reply latest = get("/subjects/probes-value/versions/latest");
        assertThat(latest.json().get("subject").asText()).isEqualTo("probes-value");
        assertThat(latest.json().get("version").asInt()).isEqualTo(1);
        assertThat(latest.json().get("id").asInt()).isEqualTo(id);
        assertThat(get("/subjects").json().toString()).isEqualTo("[\"probes-value\"]");
    }

    @Test
    void shouldAnswerTheLookupsConfluentToolsUseBySchemaIdAndForTheWholeRegistry() throws Exception {
        final int v1 = post("/subjects/a-value/versions", body(V1)).json().get("id").asInt();
        post("/subjects/b-value/versions", body(V1));
        final int v2 = post("/subjects/a-value/versions", body(V2_WITH_DEFAULT)).json().get("id").asInt();

        assertThat(get("/schemas/ids/" + v1 + "/subjects").json().toString()).isEqualTo("[\"a-value\",\"b-value\"]");
        assertThat(get("/schemas/ids/" + v1 + "/versions").json().toString())
                .isEqualTo("[{\"subject\":\"a-value\",\"version\":1},{\"subject\":\"b-value\",\"version\":1}]");
        assertThat(get("/schemas/ids/" + v2 + "/schema").json()).isEqualTo(JSON.readTree(V2_WITH_DEFAULT));
        assertThat(get("/schemas/ids/999999/subjects").json().get("error_code").asInt()).isEqualTo(40403);

        final Reply all = get("/schemas");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json()).hasSize(3);
        assertThat(all.json().get(0).get("subject").asText()).isEqualTo("a-value");
        assertThat(get("/schemas?subjectPrefix=a-&latestOnly=true").json()).singleElement()
                .satisfies(v -> assertThat(v.get("id").asInt()).isEqualTo(v2));
        assertThat(get("/subjects/a-value/versions/1/referencedby").json().toString()).isEqualTo("[]");

        assertThat(get("/mode").json().get("mode").asText()).isEqualTo("READWRITE");
        assertThat(get("/mode/a-value").json().get("mode").asText()).isEqualTo("READWRITE");
        assertThat(get("/mode/no-such-subject").json().get("error_code").asInt()).isEqualTo(40401);
        assertThat(get("/contexts").json().toString()).isEqualTo("[\".\"]");
    }

    @Test
    void shouldReturnTheSameIdWithoutANewVersionWhenASchemaIsRegisteredAgain() throws Exception {
        final int first = post("/subjects/s-value/versions", body(V1)).json().get("id").asInt();
        final int again = post("/subjects/s-value/versions", body(V1.replace(",", " , "))).json().get("id").asInt();
        final int otherSubject = post("/subjects/other-value/versions", body(V1)).json().get("id").asInt();

        assertThat(again).isEqualTo(first);
        assertThat(otherSubject).as("one global id per schema").isEqualTo(first);
        assertThat(get("/subjects/s-value/versions").json().toString()).isEqualTo("[1]");
    }

    @Test
    void shouldAcceptABackwardCompatibleChangeAsANewVersionWithANewId() throws Exception {
        final int v1 = post("/subjects/s-value/versions", body(V1)).json().get("id").asInt();
        final Reply v2 = post("/subjects/s-value/versions", body(V2_WITH_DEFAULT));

        assertThat(v2.status()).isEqualTo(200);
        assertThat(v2.json().get("id").asInt()).isNotEqualTo(v1);
        assertThat(get("/subjects/s-value/versions").json().toString()).isEqualTo("[1,2]");
        assertThat(get("/subjects/s-value/versions/1").json().get("id").asInt()).isEqualTo(v1);
        assertThat(get("/subjects/s-value/versions/2/schema").json().get("fields").size()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAnIncompatibleSchemaWith409UnderTheDefaultBackwardLevel() throws Exception {
        post("/subjects/s-value/versions", body(V1));

        final Reply refused = post("/subjects/s-value/versions", body(V2_WITHOUT_DEFAULT));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("error_code").asInt()).isEqualTo(409);
        assertThat(refused.json().get("message").asText()).contains("incompatible").contains("rtt");
        assertThat(get("/subjects/s-value/versions").json().toString()).isEqualTo("[1]");
    }

    @Test
    void shouldAnswerCompatibilityChecksWithoutRegistering() throws Exception {
        post("/subjects/s-value/versions", body(V1));

        final Reply bad = post("/compatibility/subjects/s-value/versions/latest?verbose=true", body(V2_WITHOUT_DEFAULT));
        final Reply good = post("/compatibility/subjects/s-value/versions/1", body(V2_WITH_DEFAULT));

        assertThat(bad.json().get("is_compatible").asBoolean()).isFalse();
        assertThat(bad.json().get("messages").size()).isPositive();
        assertThat(good.json().get("is_compatible").asBoolean()).isTrue();
        assertThat(get("/subjects/s-value/versions").json().toString()).isEqualTo("[1]");
    }

    @Test
    void shouldLookUpWhichVersionOfASubjectHoldsASchema() throws Exception {
        post("/subjects/s-value/versions", body(V1));
        post("/subjects/s-value/versions", body(V2_WITH_DEFAULT));

        final Reply found = post("/subjects/s-value", body(V2_WITH_DEFAULT));
        final Reply missing = post("/subjects/s-value", body(V2_WITHOUT_DEFAULT));
        final Reply noSubject = post("/subjects/nobody-value", body(V1));

        assertThat(found.json().get("version").asInt()).isEqualTo(2);
        assertThat(found.json().get("subject").asText()).isEqualTo("s-value");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error_code").asInt()).isEqualTo(40403);
        assertThat(noSubject.json().get("error_code").asInt()).isEqualTo(40401);
    }

    @Test
    void shouldAnswerConfluentErrorCodesForUnknownSubjectsVersionsAndIds() throws Exception {
        post("/subjects/s-value/versions", body(V1));

        assertError(get("/subjects/nobody-value/versions"), 404, 40401);
        assertError(get("/subjects/nobody-value/versions/latest"), 404, 40401);
        assertError(get("/subjects/s-value/versions/7"), 404, 40402);
        assertError(get("/subjects/s-value/versions/seven"), 422, 42202);
        assertError(get("/subjects/s-value/versions/0"), 422, 42202);
        assertError(get("/schemas/ids/424242"), 404, 40403);
        assertError(post("/compatibility/subjects/nobody-value/versions/latest", body(V1)), 404, 40401);
    }

    @Test
    void shouldRejectInvalidSchemasAndMalformedBodiesWith4xx() throws Exception {
        assertError(post("/subjects/s-value/versions", body("{\"type\":\"record\",\"name\":\"X\"}")), 422, 42201);
        assertError(post("/subjects/s-value/versions", "{\"schemaType\":\"AVRO\"}"), 422, 42201);
        assertError(post("/subjects/s-value/versions",
                "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}"), 422, 42201);
        assertError(post("/subjects/s-value/versions", "{not json"), 400, 400);
        assertThat(get("/subjects").json().size()).isZero();
    }

    @Test
    void shouldManageGlobalAndSubjectCompatibilityLevels() throws Exception {
        assertThat(get("/config").json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        assertError(get("/config/s-value"), 404, 40408);
        assertThat(get("/config/s-value?defaultToGlobal=true").json().get("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");

        final Reply set = put("/config/s-value", "{\"compatibility\":\"NONE\"}");
        assertThat(set.json().get("compatibility").asText()).isEqualTo("NONE");
        assertThat(get("/config/s-value").json().get("compatibilityLevel").asText()).isEqualTo("NONE");

        post("/subjects/s-value/versions", body(V1));
        assertThat(post("/subjects/s-value/versions", body(V2_WITHOUT_DEFAULT)).status())
                .as("NONE lets an incompatible change through").isEqualTo(200);

        assertError(put("/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
        assertThat(put("/config", "{\"compatibility\":\"FULL_TRANSITIVE\"}").json().get("compatibility").asText())
                .isEqualTo("FULL_TRANSITIVE");
        assertThat(get("/config").json().get("compatibilityLevel").asText()).isEqualTo("FULL_TRANSITIVE");
        assertThat(delete("/config/s-value").json().get("compatibilityLevel").asText()).isEqualTo("NONE");
        assertError(get("/config/s-value"), 404, 40408);
    }

    @Test
    void shouldCheckEveryEarlierVersionUnderATransitiveLevel() throws Exception {
        put("/config/s-value", "{\"compatibility\":\"NONE\"}");
        post("/subjects/s-value/versions", body(V1));
        // v2 drops nothing but makes 'node' optional; v3 removes 'node', which only v1 readers can't cope with.
        final String v2 = V2_WITH_DEFAULT;
        final String v3 = "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"t\","
                + "\"fields\":[{\"name\":\"rtt\",\"type\":\"long\",\"default\":0}]}";
        post("/subjects/s-value/versions", body(v2));
        put("/config/s-value", "{\"compatibility\":\"FORWARD_TRANSITIVE\"}");

        assertError(post("/subjects/s-value/versions", body(v3)), 409, 409);
        put("/config/s-value", "{\"compatibility\":\"BACKWARD_TRANSITIVE\"}");
        assertThat(post("/subjects/s-value/versions", body(v3)).status()).isEqualTo(200);
    }

    @Test
    void shouldKeepSubjectsIdsAndConfigAcrossARestart() throws Exception {
        final int v1 = post("/subjects/a-value/versions", body(V1)).json().get("id").asInt();
        final int v2 = post("/subjects/a-value/versions", body(V2_WITH_DEFAULT)).json().get("id").asInt();
        put("/config/a-value", "{\"compatibility\":\"FULL\"}");

        server.close();
        server = SchemaRegistryServer.start(TestBroker.bootstrapServers(), logTopic, "127.0.0.1", 0);

        assertThat(get("/subjects/a-value/versions").json().toString()).isEqualTo("[1,2]");
        assertThat(get("/subjects/a-value/versions/1").json().get("id").asInt()).isEqualTo(v1);
        assertThat(get("/schemas/ids/" + v2).status()).isEqualTo(200);
        assertThat(get("/config/a-value").json().get("compatibilityLevel").asText()).isEqualTo("FULL");
        final String other = "{\"type\":\"record\",\"name\":\"Other\",\"fields\":[]}";
        assertThat(post("/subjects/b-value/versions", body(other)).json().get("id").asInt())
                .as("ids keep counting after a restart").isGreaterThan(v2);
    }

    @Test
    void shouldAnswer404And405ForUnknownPathsAndMethods() throws Exception {
        assertError(get("/nothing/here"), 404, 404);
        assertError(put("/subjects", "{}"), 405, 405);
    }

    private static String body(final String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private static void assertError(final Reply reply, final int status, final int errorCode) {
        assertThat(reply.status()).as(reply.json().toString()).isEqualTo(status);
        assertThat(reply.json().get("error_code").asInt()).isEqualTo(errorCode);
        assertThat(reply.json().get("message").asText()).isNotBlank();
        assertThat(reply.contentType()).isEqualTo(CONTENT_TYPE);
    }

    private record Reply(int status, String contentType, JsonNode json) {
    }

    private Reply get(final String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private Reply delete(final String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    private Reply post(final String path, final String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Reply put(final String path, final String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", CONTENT_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private URI uri(final String path) {
        return URI.create(server.url() + path);
    }

    private Reply send(final HttpRequest.Builder request) throws Exception {
        final HttpResponse<String> response = http.send(request.header("Accept", CONTENT_TYPE).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                JSON.readTree(response.body()));
    }
}
