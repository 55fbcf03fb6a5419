package io.intentstream.registry.serde;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate classes named by a schema unless they are trusted
 * ({@link ClassSecurityValidator}), because schema names can come from outside (the registry).
 * The deserializer trusts exactly the generated classes the application asked for: the reader
 * class and the record/enum classes its schema reaches. Everything else keeps Avro's defaults
 * (and its {@code org.apache.avro.SERIALIZABLE_PACKAGES} system property). Public for other
 * registry-free readers of generated classes (the stream app's state-store serde).
 */
public final class TrustedClasses {
    private static final Set<String> TRUSTED = ConcurrentHashMap.newKeySet();
    private static volatile boolean installed;

    private TrustedClasses() {}

    public static void trustGeneratedClass(Class<?> generated) {
        install();
        collect(SpecificData.getForClass(generated).getSchema(generated), TRUSTED);
    }

    private static void collect(Schema schema, Set<String> names) {
        switch (schema.getType()) {
            case RECORD -> {
                if (names.add(schema.getFullName())) {
                    schema.getFields().forEach(f -> collect(f.schema(), names));
                }
            }
            case ENUM, FIXED -> names.add(schema.getFullName());
            case ARRAY -> collect(schema.getElementType(), names);
            case MAP -> collect(schema.getValueType(), names);
            case UNION -> schema.getTypes().forEach(t -> collect(t, names));
            default -> { }
        }
    }

    private static synchronized void install() {
        if (!installed) {
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                    ClassSecurityValidator.getGlobal(), c -> TRUSTED.contains(c.getName())));
            installed = true;
        }
    }
}
