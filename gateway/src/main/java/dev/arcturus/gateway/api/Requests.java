package dev.arcturus.gateway.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.regex.Pattern;

/** Request validation: each failure is INVALID_ARGUMENT naming the field and the problem. */
final class Requests {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    private static final int MAX_TEXT = 1_024;

    private Requests() {
    }

    static String requireId(final String field, final String value) {
        if (value == null || value.isBlank()) {
            throw invalid(field, "required");
        }
        if (!ID.matcher(value).matches()) {
            throw invalid(field, "'" + abbreviate(value) + "' must be 1-128 characters of letters, digits and . _ : @ -, "
                    + "starting with a letter or digit");
        }
        return value;
    }

    static String requireText(final String field, final String value) {
        if (value == null || value.isBlank()) {
            throw invalid(field, "required");
        }
        return optionalText(field, value);
    }

    /** Empty becomes null; over-long text is refused. */
    static String optionalText(final String field, final String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw invalid(field, "at most " + MAX_TEXT + " characters, was " + value.length());
        }
        return value;
    }

    static StatusRuntimeException invalid(final String field, final String problem) {
        return Status.INVALID_ARGUMENT.withDescription(field + ": " + problem).asRuntimeException();
    }

    static StatusRuntimeException notFound(final String what, final String id) {
        return Status.NOT_FOUND.withDescription(what + " '" + abbreviate(id) + "' does not exist").asRuntimeException();
    }

    static StatusRuntimeException exists(final String what, final String id) {
        return Status.ALREADY_EXISTS.withDescription(what + " '" + abbreviate(id) + "' already exists")
                .asRuntimeException();
    }

    static String abbreviate(final String value) {
        return value.length() <= 64 ? value : value.substring(0, 61) + "...";
    }
}
