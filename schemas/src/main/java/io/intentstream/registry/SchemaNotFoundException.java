package io.intentstream.registry;

/** A schema lookup found nothing: Confluent error 40403 (schema not registered under the subject). */
public class SchemaNotFoundException extends RegistryException {
    public SchemaNotFoundException(String message) {
        super(404, SCHEMA_NOT_FOUND, message);
    }
}
