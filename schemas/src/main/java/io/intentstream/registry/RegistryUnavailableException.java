package io.intentstream.registry;

/**
 * The registry could not be reached or kept answering 5xx after all retries. Transient by nature:
 * callers may retry later, unlike the 4xx exceptions.
 */
public class RegistryUnavailableException extends RegistryException {
    public RegistryUnavailableException(int httpStatus, int errorCode, String message, Throwable cause) {
        super(httpStatus, errorCode, message, cause);
    }
}
