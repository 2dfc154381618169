package dev.arcturus.connector.occurrence;

import dev.arcturus.scheduling.trigger.InvalidTriggerException;
import dev.arcturus.scheduling.trigger.Trigger;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Decides at fire time whether an occurrence runs: its trigger evaluated on this node's current values. A false
 * trigger, or one that cannot be evaluated (a missing value, a division by zero), closes the gate with the values it
 * read, so the SKIPPED run says why.
 */
public final class TriggerGate {
    private final Supplier<Map<String, Double>> values;
    private final BiFunction<Set<String>, Instant, Optional<String>> staleness;

    /**
     * @param values    the node's current trigger values, with history
     * @param staleness why the given variables' values are too old to decide on now, or empty (trigger providers)
     */
    public TriggerGate(final Supplier<Map<String, Double>> values,
                       final BiFunction<Set<String>, Instant, Optional<String>> staleness) {
        this.values = values;
        this.staleness = staleness;
    }

    /** The gate's verdict: open, or closed with the reason and the values read. */
    public record Verdict(boolean open, String reason, Map<String, Double> seen) {
        static final Verdict OPEN = new Verdict(true, "", Map.of());
    }

    public Verdict evaluate(final String trigger) {
        if (trigger.isBlank()) {
            return Verdict.OPEN;
        }
        final Map<String, Double> now = values.get();
        try {
            final Trigger compiled = Trigger.compile(trigger);
            final Map<String, Double> seen = compiled.seen(now);
            final Optional<String> stale = staleness.apply(Set.copyOf(compiled.variables()), Instant.now());
            if (stale.isPresent()) {
                return new Verdict(false, stale.get(), seen);
            }
            return compiled.evaluate(now) ? Verdict.OPEN
                    : new Verdict(false, "trigger false: " + compiled.text() + " with " + seen, seen);
        } catch (final InvalidTriggerException | Trigger.TriggerEvaluationException e) {
            return new Verdict(false, "trigger could not be evaluated: " + e.getMessage(), Map.of());
        }
    }
}
