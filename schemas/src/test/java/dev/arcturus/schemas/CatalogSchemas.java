package dev.arcturus.schemas;

import dev.arcturus.topics.Topic;
import dev.arcturus.topics.TopicCatalog;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;

/** Every named Avro type the plane moves: the catalogue's value schemas and everything they reference. */
final class CatalogSchemas {
    private CatalogSchemas() {
    }

    static Map<String, Schema> topLevel() {
        final Map<String, Schema> schemas = new LinkedHashMap<>();
        TopicCatalog.all().stream().map(Topic::valueSchema).forEach(s -> schemas.put(s.getFullName(), s));
        return schemas;
    }

    static Map<String, Schema> allNamedTypes() {
        final Map<String, Schema> named = new LinkedHashMap<>();
        topLevel().values().forEach(s -> collect(s, named));
        return named;
    }

    private static void collect(final Schema schema, final Map<String, Schema> named) {
        switch (schema.getType()) {
            case RECORD -> {
                if (named.putIfAbsent(schema.getFullName(), schema) == null) {
                    schema.getFields().forEach(f -> collect(f.schema(), named));
                }
            }
            case ENUM, FIXED -> named.putIfAbsent(schema.getFullName(), schema);
            case ARRAY -> collect(schema.getElementType(), named);
            case MAP -> collect(schema.getValueType(), named);
            case UNION -> schema.getTypes().forEach(t -> collect(t, named));
            default -> {
            }
        }
    }
}
