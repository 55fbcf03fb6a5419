package io.intentstream.registry;

/** No schema has this id: Confluent error 40403 on {@code GET /schemas/ids/{id}}. */
public class UnknownSchemaIdException extends SchemaNotFoundException {
    private final int schemaId;

    public UnknownSchemaIdException(int schemaId) {
        super("Schema " + schemaId + " not found");
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }
}
