package dev.arcturus.topics;

/** The one meter name every component's dead-lettering counts under, so a single alert covers them all. */
public final class DeadLetterMeters {
    /** Counter, tags {@code component} (app or sink name) and {@code source} (the topic the record came from). */
    public static final String NAME = "arcturus.dlq.records";

    private DeadLetterMeters() {
    }
}
