package io.intentstream.registry.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's bytes could not be turned into an Avro value. {@link #reason()} is a small fixed set
 * so the stream app can route the record to the dead-letter topic and count failures per reason.
 */
public class AvroDeserializationException extends SerializationException {
    /** Why the bytes were rejected. */
    public enum Reason {
        /** First byte is not Confluent's magic byte 0 (not registry-framed Avro at all). */
        UNKNOWN_MAGIC_BYTE,
        /** Shorter than the 5-byte header, or the Avro body ends early. */
        TRUNCATED,
        /** The header names a schema id the registry does not know. */
        UNKNOWN_SCHEMA_ID,
        /** The body is not valid Avro for the writer schema (or has bytes left over). */
        MALFORMED_AVRO,
        /** The registry could not be asked for the writer schema; retrying later may work. */
        REGISTRY_UNAVAILABLE
    }

    private final Reason reason;
    private final String topic;
    private final Integer schemaId;

    public AvroDeserializationException(String topic, Reason reason, Integer schemaId, String detail, Throwable cause) {
        super("Cannot deserialize Avro record from topic '" + topic + "': " + reason
                + (schemaId == null ? "" : " (schema id " + schemaId + ")") + ": " + detail, cause);
        this.reason = reason;
        this.topic = topic;
        this.schemaId = schemaId;
    }

    public Reason reason() {
        return reason;
    }

    public String topic() {
        return topic;
    }

    /** The schema id from the header, or null when the header could not be read. */
    public Integer schemaId() {
        return schemaId;
    }
}
