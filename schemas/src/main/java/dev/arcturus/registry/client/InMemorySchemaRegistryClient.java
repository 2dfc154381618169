package dev.arcturus.registry.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A schema registry in this process, with the rules of a Confluent-API one: global ids shared across subjects for
 * equal schemas, versions per subject from 1, registration idempotent, and a new version refused (409) when it breaks
 * the subject's compatibility level (default BACKWARD), checked by the same {@link CompatibilityChecker} as the
 * embedded registry. For {@code TopologyTestDriver} tests, which then need no broker and no registry server.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final List<Schema> schemasById = new ArrayList<>();
    private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();
    private final Map<String, CompatibilityLevel> levels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;

    @Override
    public String baseUrl() {
        return "mem://schema-registry";
    }

    @Override
    public synchronized int register(final String subject, final Schema schema) {
        final List<Schema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(schema)) {
            final List<String> violations = CompatibilityChecker.violations(subjectCompatibility(subject), schema,
                    versions);
            if (!violations.isEmpty()) {
                throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                        "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                                + "\", details: " + violations);
            }
            versions.add(schema);
        }
        return idsBySchema.computeIfAbsent(schema, s -> {
            schemasById.add(s);
            return schemasById.size();
        });
    }

    @Override
    public synchronized Optional<RegisteredSchema> lookup(final String subject, final Schema schema) {
        final List<Schema> versions = versionsBySubject.getOrDefault(subject, List.of());
        final int at = versions.indexOf(schema);
        return at < 0 ? Optional.empty()
                : Optional.of(new RegisteredSchema(subject, at + 1, idsBySchema.get(schema), schema));
    }

    @Override
    public synchronized Schema schemaById(final int id) {
        if (id < 1 || id > schemasById.size()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id
                    + " not found");
        }
        return schemasById.get(id - 1);
    }

    @Override
    public synchronized RegisteredSchema version(final String subject, final String version) {
        final List<Schema> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject
                    + "' not found.");
        }
        final int number = "latest".equals(version) ? versions.size() : parseVersion(version);
        if (number < 1 || number > versions.size()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_FOUND, "Version " + version
                    + " not found.");
        }
        final Schema schema = versions.get(number - 1);
        return new RegisteredSchema(subject, number, idsBySchema.get(schema), schema);
    }

    @Override
    public synchronized List<String> subjects() {
        return versionsBySubject.keySet().stream().sorted().toList();
    }

    @Override
    public synchronized List<Integer> versions(final String subject) {
        final int count = version(subject, "latest").version();
        final List<Integer> numbers = new ArrayList<>();
        for (int v = 1; v <= count; v++) {
            numbers.add(v);
        }
        return numbers;
    }

    @Override
    public synchronized boolean isCompatible(final String subject, final String version, final Schema schema) {
        final List<Schema> versions = versionsBySubject.getOrDefault(subject, List.of());
        final List<Schema> against = "latest".equals(version) || versions.isEmpty() ? versions
                : versions.subList(0, version(subject, version).version());
        return CompatibilityChecker.violations(subjectCompatibility(subject), schema, against).isEmpty();
    }

    @Override
    public synchronized CompatibilityLevel globalCompatibility() {
        return globalLevel;
    }

    @Override
    public synchronized CompatibilityLevel subjectCompatibility(final String subject) {
        return levels.getOrDefault(subject, globalLevel);
    }

    @Override
    public synchronized void setGlobalCompatibility(final CompatibilityLevel level) {
        globalLevel = level;
    }

    @Override
    public synchronized void setSubjectCompatibility(final String subject, final CompatibilityLevel level) {
        levels.put(subject, level);
    }

    private static int parseVersion(final String version) {
        try {
            return Integer.parseInt(version);
        } catch (final NumberFormatException e) {
            throw new SchemaRegistryException(422, 42202, "The specified version '" + version + "' is not a valid "
                    + "version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }
    }
}
