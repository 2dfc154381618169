package dev.arcturus.registry.client;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/** Checks a candidate schema against a subject's earlier versions with Avro's own reader/writer checker. */
public final class CompatibilityChecker {
    private CompatibilityChecker() {
    }

    /**
     * Returns the reasons {@code candidate} breaks {@code level} against {@code earlier} (oldest first);
     * empty means compatible.
     */
    public static List<String> violations(final CompatibilityLevel level, final Schema candidate, final List<Schema> earlier) {
        final List<String> messages = new ArrayList<>();
        if (level == CompatibilityLevel.NONE || earlier.isEmpty()) {
            return messages;
        }
        final List<Schema> toCheck = level.isTransitive() ? earlier : List.of(earlier.get(earlier.size() - 1));
        for (final Schema previous : toCheck) {
            if (level.checksBackward()) {
                describe("new schema cannot read data written with an earlier one",
                        SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous).getResult(), messages);
            }
            if (level.checksForward()) {
                describe("an earlier schema cannot read data written with the new one",
                        SchemaCompatibility.checkReaderWriterCompatibility(previous, candidate).getResult(), messages);
            }
        }
        return messages;
    }

    private static void describe(final String direction, final SchemaCompatibilityResult result,
                                 final List<String> messages) {
        if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        result.getIncompatibilities().forEach(i -> messages.add("{errorType:'" + i.getType() + "', description:'"
                + direction + ": " + i.getMessage() + "', location:'" + i.getLocation() + "'}"));
    }
}
