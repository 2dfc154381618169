package dev.arcturus.streams;

/**
 * A record that decodes and is well formed but that its app refuses on the state it holds (e.g. a command whose
 * requester may not act on the job). The app's processing exception handler dead-letters it with this message and
 * carries on; any other exception still stops the task.
 */
public final class RefusedRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RefusedRecordException(final String reason) {
        super(reason);
    }
}
