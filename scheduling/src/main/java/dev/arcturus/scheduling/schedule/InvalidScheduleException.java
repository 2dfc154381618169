package dev.arcturus.scheduling.schedule;

/** A schedule that cannot be admitted; the message names the field and the problem, for the requester. */
public final class InvalidScheduleException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidScheduleException(final String message) {
        super(message);
    }
}
