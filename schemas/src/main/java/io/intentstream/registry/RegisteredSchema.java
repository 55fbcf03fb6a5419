package io.intentstream.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/** One version of a subject: the global schema id, the subject-local version and the schema. */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {
    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
