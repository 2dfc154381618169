package dev.arcturus.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine;

/**
 * The CLI's exit codes (documented in the README), so scripts can tell failures apart:
 * 0 success; 1 unexpected error; 2 usage error; 3 invalid request; 4 not authenticated or not allowed; 5 not found;
 * 6 already exists, or the job was rejected by admission (a conflict); 7 gateway unavailable or too slow.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int INVALID = 3;
    public static final int DENIED = 4;
    public static final int NOT_FOUND = 5;
    public static final int CONFLICT = 6;
    public static final int UNAVAILABLE = 7;

    private ExitCodes() {
    }

    static int of(final Status.Code code) {
        return switch (code) {
            case OK -> OK;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> INVALID;
            case UNAUTHENTICATED, PERMISSION_DENIED -> DENIED;
            case NOT_FOUND -> NOT_FOUND;
            case ALREADY_EXISTS, ABORTED -> CONFLICT;
            case UNAVAILABLE, DEADLINE_EXCEEDED -> UNAVAILABLE;
            default -> FAILED;
        };
    }

    /** Prints a gRPC failure as one line and maps it to its exit code; other failures are the caller's. */
    public static int report(final Exception e, final CommandLine command) {
        if (e instanceof StatusRuntimeException status) {
            command.getErr().println("error: " + status.getStatus().getCode() + ": "
                    + (status.getStatus().getDescription() == null ? "" : status.getStatus().getDescription()));
            return of(status.getStatus().getCode());
        }
        return -1;
    }
}
