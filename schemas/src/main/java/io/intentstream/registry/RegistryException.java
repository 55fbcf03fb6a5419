package io.intentstream.registry;

/**
 * A Schema Registry call failed. Carries the HTTP status and Confluent's {@code error_code}
 * (e.g. 40401) so callers can branch on the same codes Confluent's clients expose.
 */
public class RegistryException extends RuntimeException {
    /** Confluent error codes this project produces and understands. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    public static final int UNAUTHORIZED = 40101;
    public static final int STORE_ERROR = 50001;

    private final int httpStatus;
    private final int errorCode;

    public RegistryException(int httpStatus, int errorCode, String message) {
        this(httpStatus, errorCode, message, null);
    }

    public RegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
        super(message + " (HTTP " + httpStatus + ", error_code " + errorCode + ")", cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    /** The message without the status suffix, as sent in a Confluent error body. */
    public String detail() {
        String m = getMessage();
        int i = m.lastIndexOf(" (HTTP ");
        return i < 0 ? m : m.substring(0, i);
    }

    /** Maps a Confluent error response to the most specific exception type. */
    public static RegistryException of(int httpStatus, int errorCode, String message) {
        return switch (errorCode) {
            case SUBJECT_NOT_FOUND -> new SubjectNotFoundException(message);
            case SCHEMA_NOT_FOUND -> new SchemaNotFoundException(message);
            case INCOMPATIBLE -> new IncompatibleSchemaException(message);
            default -> httpStatus >= 500
                    ? new RegistryUnavailableException(httpStatus, errorCode, message, null)
                    : new RegistryException(httpStatus, errorCode, message);
        };
    }
}
