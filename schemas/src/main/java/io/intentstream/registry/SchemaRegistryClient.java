package io.intentstream.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The subset of Confluent's Schema Registry API this project uses, for Avro schemas only.
 * Implementations: {@link RestSchemaRegistryClient} (HTTP) and {@link MockSchemaRegistry}
 * ({@code mock://} URLs). Both throw the {@link RegistryException} family.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers the schema under the subject (or finds it there) and returns its global id. */
    int register(String subject, Schema schema);

    /** Id of a schema already registered under the subject; never registers. */
    int getId(String subject, Schema schema);

    /** The schema with this global id; {@link UnknownSchemaIdException} if there is none. */
    Schema getSchemaById(int id);

    RegisteredSchema getLatest(String subject);

    RegisteredSchema getVersion(String subject, int version);

    /** Whether registering the schema under the subject would pass its compatibility level. */
    boolean isCompatible(String subject, Schema schema);

    List<String> subjects();

    List<Integer> versions(String subject);

    /** Sets the compatibility level of a subject, or the global default when subject is null. */
    void setCompatibility(String subjectOrNullForGlobal, String level);

    /** The effective compatibility level of a subject (its own, else global), or the global one for null. */
    String getCompatibility(String subjectOrNullForGlobal);

    @Override
    default void close() {}
}
