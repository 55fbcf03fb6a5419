package io.intentstream.registry;

/** Registering the schema would break the subject's compatibility level: HTTP 409. */
public class IncompatibleSchemaException extends RegistryException {
    public IncompatibleSchemaException(String message) {
        super(409, INCOMPATIBLE, message);
    }
}
