package dev.arcturus.registry.client;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * What the plane asks of a Confluent-API schema registry: the serdes register and look up schemas by id, the tooling
 * reads subjects, versions and compatibility. {@link HttpSchemaRegistryClient} talks to a real registry (Confluent's,
 * Apicurio's Confluent API, or the embedded one); {@link InMemorySchemaRegistryClient} is a registry in this process,
 * for broker-less topology tests. Failures are {@link SchemaRegistryException}s carrying the registry's error code.
 */
public interface SchemaRegistryClient {
    /** Where the registry is, for logs and for clients configured by URL. */
    String baseUrl();

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** The registered version of {@code schema} under {@code subject}, if it is registered. */
    Optional<RegisteredSchema> lookup(String subject, Schema schema);

    /** The schema with this global id. */
    Schema schemaById(int id);

    /** Version {@code version} of {@code subject}; {@code "latest"} is accepted. */
    RegisteredSchema version(String subject, String version);

    List<String> subjects();

    List<Integer> versions(String subject);

    /** Whether {@code schema} may be registered after {@code version} of {@code subject} under its level. */
    boolean isCompatible(String subject, String version, Schema schema);

    /** The global compatibility level. */
    CompatibilityLevel globalCompatibility();

    /** The subject's level, falling back to the global one when the subject has none of its own. */
    CompatibilityLevel subjectCompatibility(String subject);

    void setGlobalCompatibility(CompatibilityLevel level);

    void setSubjectCompatibility(String subject, CompatibilityLevel level);
}
