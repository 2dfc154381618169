package dev.arcturus.topics;

/** How a topic keeps its data: state topics are compacted to the latest value per key, events expire. */
public enum CleanupPolicy {
    COMPACT("compact"),
    DELETE("delete");

    private final String kafkaName;

    CleanupPolicy(final String kafkaName) {
        this.kafkaName = kafkaName;
    }

    public String kafkaName() {
        return kafkaName;
    }
}
