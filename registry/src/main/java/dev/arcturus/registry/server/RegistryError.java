package dev.arcturus.registry.server;

/** An error answered with Confluent's status, {@code error_code} and message. */
final class RegistryError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final int errorCode;

    RegistryError(final int httpStatus, final int errorCode, final String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    static RegistryError unauthorized() {
        return new RegistryError(401, 40101, "Unauthorized: sign in with HTTP basic auth");
    }

    static RegistryError denied(final String principal, final String operation) {
        return new RegistryError(403, 40301, "User " + principal + " is denied operation " + operation);
    }

    static RegistryError subjectNotFound(final String subject) {
        return new RegistryError(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryError versionNotFound(final String version) {
        return new RegistryError(404, 40402, "Version " + version + " not found.");
    }

    static RegistryError schemaNotFound() {
        return new RegistryError(404, 40403, "Schema not found");
    }

    static RegistryError subjectLevelConfigNotFound(final String subject) {
        return new RegistryError(404, 40408,
                "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    static RegistryError incompatible(final String subject, final String details) {
        return new RegistryError(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                + subject + "\", details: " + details);
    }

    static RegistryError invalidSchema(final String details) {
        return new RegistryError(422, 42201, "Invalid schema: " + details);
    }

    static RegistryError invalidVersion(final String version) {
        return new RegistryError(422, 42202, "The specified version '" + version + "' is not a valid version id. "
                + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryError invalidCompatibilityLevel(final String level) {
        return new RegistryError(422, 42203, "Invalid compatibility level. Valid values are none, backward, forward, "
                + "full, backward_transitive, forward_transitive, and full_transitive; got '" + level + "'");
    }

    static RegistryError storeFailure(final String message, final Throwable cause) {
        final RegistryError error = new RegistryError(500, 50001, "Error in the backend data store - " + message);
        error.initCause(cause);
        return error;
    }

    int httpStatus() {
        return httpStatus;
    }

    int errorCode() {
        return errorCode;
    }
}
