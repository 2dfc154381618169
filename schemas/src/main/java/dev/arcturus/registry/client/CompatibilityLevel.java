package dev.arcturus.registry.client;

import java.util.Locale;
import java.util.Optional;

/** Schema compatibility levels, spelled as the Confluent Schema Registry API spells them. */
public enum CompatibilityLevel {
    NONE,
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE;

    /** Parses a level name case-insensitively; empty for anything the API does not define. */
    public static Optional<CompatibilityLevel> parse(final String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (final IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    /** Whether a new schema must be checked against every earlier version, not only the latest. */
    public boolean isTransitive() {
        return this == BACKWARD_TRANSITIVE || this == FORWARD_TRANSITIVE || this == FULL_TRANSITIVE;
    }

    /** Whether readers using the new schema must read data written with older ones. */
    public boolean checksBackward() {
        return this == BACKWARD || this == BACKWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
    }

    /** Whether readers using older schemas must read data written with the new one. */
    public boolean checksForward() {
        return this == FORWARD || this == FORWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
    }
}
