package dev.arcturus.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcturus.registry.client.CompatibilityChecker;
import dev.arcturus.registry.client.CompatibilityLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's rules and in-memory view, rebuilt from the {@link SchemaLog} at start-up.
 *
 * <p>Invariants: a schema (by canonical text) has one global id whichever subjects hold it; registering a schema
 * a subject already holds returns its id without a new version; a new version is accepted only if it satisfies
 * the subject's compatibility level. Writes are serialised by this object's monitor and reach the log before the
 * in-memory view, so what a client was told is always what a restart replays. One registry instance writes a
 * given log (as with Confluent's single primary); several readers may replay it.
 */
final class SchemaRegistryService {
    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    record SubjectVersion(String subject, int version, int id, String schema) {
    }

    private final SchemaLog schemaLog;
    private final Map<String, List<SubjectVersion>> subjects = new TreeMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private int maxId;

    SchemaRegistryService(final SchemaLog schemaLog, final CompatibilityLevel defaultLevel) {
        this.schemaLog = schemaLog;
        this.globalLevel = defaultLevel;
        schemaLog.replay(this::apply);
    }

    synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    synchronized List<Integer> versions(final String subject) {
        return existing(subject).stream().map(SubjectVersion::version).toList();
    }

    synchronized SubjectVersion version(final String subject, final String versionText) {
        final List<SubjectVersion> versions = existing(subject);
        final int wanted = parseVersion(versionText);
        if (wanted == -1) {
            return versions.get(versions.size() - 1);
        }
        return versions.stream().filter(v -> v.version() == wanted).findFirst()
                .orElseThrow(() -> RegistryError.versionNotFound(versionText));
    }

    synchronized String schemaById(final int id) {
        final String schema = schemasById.get(id);
        if (schema == null) {
            throw RegistryError.schemaNotFound();
        }
        return schema;
    }

    /** Every subject-version registered with schema {@code id} (one schema text may serve several subjects). */
    synchronized List<SubjectVersion> usesOf(final int id) {
        schemaById(id);
        return subjects.values().stream().flatMap(List::stream).filter(v -> v.id() == id)
                .sorted(java.util.Comparator.comparing(SubjectVersion::subject).thenComparing(SubjectVersion::version))
                .toList();
    }

    /** Every registered subject-version, by subject then version; only each subject's latest if asked. */
    synchronized List<SubjectVersion> all(final String subjectPrefix, final boolean latestOnly) {
        return subjects.entrySet().stream().filter(e -> e.getKey().startsWith(subjectPrefix))
                .sorted(Map.Entry.comparingByKey())
                .flatMap(e -> latestOnly ? e.getValue().stream().skip(Math.max(0, e.getValue().size() - 1))
                        : e.getValue().stream())
                .toList();
    }

    synchronized SubjectVersion lookup(final String subject, final String schemaText) {
        final String canonical = canonical(schemaText);
        return existing(subject).stream().filter(v -> v.schema().equals(canonical)).findFirst()
                .orElseThrow(RegistryError::schemaNotFound);
    }

    synchronized int register(final String subject, final String schemaText) {
        final Schema candidate = parse(schemaText);
        final String canonical = candidate.toString();
        final List<SubjectVersion> versions = subjects.getOrDefault(subject, List.of());
        final Optional<SubjectVersion> already = versions.stream().filter(v -> v.schema().equals(canonical)).findFirst();
        if (already.isPresent()) {
            return already.get().id();
        }
        final List<String> violations = CompatibilityChecker.violations(levelOf(subject), candidate, parsed(versions));
        if (!violations.isEmpty()) {
            throw RegistryError.incompatible(subject, violations.toString());
        }
        final int id = idsBySchema.getOrDefault(canonical, maxId + 1);
        final int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
        final SubjectVersion entry = new SubjectVersion(subject, version, id, canonical);
        schemaLog.append(schemaKey(subject, version), schemaValue(entry));
        apply(entry);
        log.info("Registered subject {} version {} as schema id {}", subject, version, id);
        return id;
    }

    /** Violations of {@code schemaText} against the subject's level, judged from {@code versionText}. */
    synchronized List<String> compatibility(final String subject, final String versionText, final String schemaText) {
        final Schema candidate = parse(schemaText);
        final List<SubjectVersion> versions = existing(subject);
        final SubjectVersion upTo = version(subject, versionText);
        final List<SubjectVersion> earlier = versions.stream().filter(v -> v.version() <= upTo.version()).toList();
        return CompatibilityChecker.violations(levelOf(subject), candidate, parsed(earlier));
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(final String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    synchronized CompatibilityLevel setLevel(final String subjectOrNull, final String levelText) {
        final CompatibilityLevel level = CompatibilityLevel.parse(levelText)
                .orElseThrow(() -> RegistryError.invalidCompatibilityLevel(levelText));
        schemaLog.append(configKey(subjectOrNull), configValue(level));
        applyLevel(subjectOrNull, level);
        return level;
    }

    synchronized CompatibilityLevel deleteSubjectLevel(final String subject) {
        final CompatibilityLevel previous = subjectLevels.get(subject);
        if (previous == null) {
            throw RegistryError.subjectLevelConfigNotFound(subject);
        }
        schemaLog.append(configKey(subject), null);
        applyLevel(subject, null);
        return previous;
    }

    private CompatibilityLevel levelOf(final String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    private List<SubjectVersion> existing(final String subject) {
        final List<SubjectVersion> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return versions;
    }

    private static List<Schema> parsed(final List<SubjectVersion> versions) {
        return versions.stream().map(v -> new Schema.Parser().parse(v.schema())).toList();
    }

    private static Schema parse(final String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw RegistryError.invalidSchema("the request has no schema");
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (final SchemaParseException | NullPointerException e) {
            throw RegistryError.invalidSchema(e.getMessage());
        }
    }

    private static String canonical(final String schemaText) {
        return parse(schemaText).toString();
    }

    private static int parseVersion(final String text) {
        if ("latest".equals(text) || "-1".equals(text)) {
            return -1;
        }
        try {
            final int version = Integer.parseInt(text);
            if (version < 1) {
                throw RegistryError.invalidVersion(text);
            }
            return version;
        } catch (final NumberFormatException e) {
            throw RegistryError.invalidVersion(text);
        }
    }

    // --- the log's record shapes (those of Confluent Schema Registry's _schemas topic) ---

    private static String schemaKey(final String subject, final int version) {
        final ObjectNode key = JSON.createObjectNode();
        key.put("keytype", "SCHEMA").put("subject", subject).put("version", version).put("magic", 1);
        return key.toString();
    }

    private static String schemaValue(final SubjectVersion entry) {
        final ObjectNode value = JSON.createObjectNode();
        value.put("subject", entry.subject()).put("version", entry.version()).put("id", entry.id())
                .put("schema", entry.schema()).put("deleted", false);
        return value.toString();
    }

    private static String configKey(final String subjectOrNull) {
        final ObjectNode key = JSON.createObjectNode();
        key.put("keytype", "CONFIG").put("subject", subjectOrNull).put("magic", 0);
        return key.toString();
    }

    private static String configValue(final CompatibilityLevel level) {
        return JSON.createObjectNode().put("compatibilityLevel", level.name()).toString();
    }

    private void apply(final String key, final String value) {
        try {
            final JsonNode keyJson = JSON.readTree(key);
            final JsonNode valueJson = value == null ? null : JSON.readTree(value);
            switch (keyJson.path("keytype").asText()) {
                case "SCHEMA" -> {
                    if (valueJson != null && !valueJson.path("deleted").asBoolean(false)) {
                        apply(new SubjectVersion(valueJson.path("subject").asText(), valueJson.path("version").asInt(),
                                valueJson.path("id").asInt(), valueJson.path("schema").asText()));
                    }
                }
                case "CONFIG" -> {
                    final String subject = keyJson.path("subject").isNull() ? null : keyJson.path("subject").asText();
                    applyLevel(subject, valueJson == null ? null
                            : CompatibilityLevel.parse(valueJson.path("compatibilityLevel").asText()).orElse(null));
                }
                default -> log.warn("Ignoring schema log record with unknown key type: {}", key);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("corrupt record in schema log " + schemaLog.topic() + ": " + key, e);
        }
    }

    private void apply(final SubjectVersion entry) {
        final List<SubjectVersion> versions = subjects.computeIfAbsent(entry.subject(), s -> new ArrayList<>());
        versions.removeIf(v -> v.version() == entry.version());
        versions.add(entry);
        versions.sort((a, b) -> Integer.compare(a.version(), b.version()));
        schemasById.put(entry.id(), entry.schema());
        idsBySchema.put(entry.schema(), entry.id());
        maxId = Math.max(maxId, entry.id());
    }

    private void applyLevel(final String subjectOrNull, final CompatibilityLevel level) {
        if (subjectOrNull == null) {
            if (level != null) {
                globalLevel = level;
            }
        } else if (level == null) {
            subjectLevels.remove(subjectOrNull);
        } else {
            subjectLevels.put(subjectOrNull, level);
        }
    }
}
