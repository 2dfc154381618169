package dev.arcturus.connector.executor;

/**
 * How an execution ended.
 *
 * @param status   COMPLETED (exit 0), FAILED (non-zero exit, or could not start), TIMED_OUT (killed at the limit)
 * @param exitCode the container's exit code, when it exited by itself
 * @param message  a one-line reason for the run record
 */
public record RunOutcome(Status status, Integer exitCode, String message) {
    public enum Status { COMPLETED, FAILED, TIMED_OUT }
}
