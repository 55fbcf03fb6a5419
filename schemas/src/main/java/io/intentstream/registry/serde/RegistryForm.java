package io.intentstream.registry.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * The form of a schema that goes to the registry: the generated classes' schemas carry the
 * Java-only property {@code avro.java.string} (from {@code stringType=String}), which the .avsc
 * contract and non-Java producers do not have. Confluent's Java serializer registers it as is,
 * so Java and JS producers of the same contract end up with two ids (two versions) per subject;
 * we strip it, so every producer of the contract registers the same schema and gets the same id.
 * The property does not affect the binary encoding.
 */
final class RegistryForm {
    private static final String JAVA_STRING_PROP = "avro.java.string";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Schema, Schema> CACHE = new ConcurrentHashMap<>();

    private RegistryForm() {}

    static Schema of(Schema schema) {
        return CACHE.computeIfAbsent(schema, RegistryForm::strip);
    }

    private static Schema strip(Schema schema) {
        String text = schema.toString();
        if (!text.contains(JAVA_STRING_PROP)) {
            return schema;
        }
        try {
            JsonNode tree = JSON.readTree(text);
            removeJavaProps(tree);
            return new Schema.Parser().parse(JSON.writeValueAsString(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void removeJavaProps(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(JAVA_STRING_PROP);
        }
        node.forEach(RegistryForm::removeJavaProps);
    }
}
