package dev.arcturus.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void escapesEverythingThatCouldBreakOutOfTheDocumentOrAScript() {
        final String json = Json.object().field("name", "a\"b\\c\n</script><img onerror=x>&\u2028")
                .field("n", 3).field("x", Double.NaN).field("at", Instant.ofEpochMilli(42)).field("none", null)
                .field("list", List.of("p", 1)).field("map", Map.of("k", true)).field("raw", new Json.Raw("[1]")).end();
        assertThat(json).isEqualTo("{\"name\":\"a\\\"b\\\\c\\n\\u003c/script\\u003e\\u003cimg onerror=x\\u003e"
                + "\\u0026\\u2028\",\"n\":3,\"x\":null,\"at\":42,\"none\":null,\"list\":[\"p\",1],\"map\":{\"k\":true},"
                + "\"raw\":[1]}");
    }
}
