package dev.arcturus.registry.client;

/**
 * An error answer from a Confluent-API schema registry, or a failure to reach it.
 * {@link #errorCode()} is the registry's {@code error_code} (e.g. 40401 subject not found, 409 incompatible),
 * or -1 when the registry could not be reached.
 */
public final class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(final int httpStatus, final int errorCode, final String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(final String message, final Throwable cause) {
        super(message, cause);
        this.httpStatus = -1;
        this.errorCode = -1;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }
}
