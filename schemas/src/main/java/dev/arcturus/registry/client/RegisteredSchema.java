package dev.arcturus.registry.client;

import org.apache.avro.Schema;

/** One version of a subject, as {@code GET /subjects/{s}/versions/{v}} returns it. */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {
}
