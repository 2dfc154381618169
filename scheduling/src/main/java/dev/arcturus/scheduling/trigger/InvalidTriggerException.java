package dev.arcturus.scheduling.trigger;

/** A trigger that cannot be accepted: the message says what is wrong and where (column, 1-based). */
public final class InvalidTriggerException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidTriggerException(final String message) {
        super(message);
    }
}
