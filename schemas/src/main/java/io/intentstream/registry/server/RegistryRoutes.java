package io.intentstream.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentstream.registry.CompatibilityLevel;
import io.intentstream.registry.RegisteredSchema;
import io.intentstream.registry.RegistryException;
import io.intentstream.registry.SchemaStore;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The REST subset of Confluent's Schema Registry that its clients use, mapped onto a
 * {@link SchemaStore}. Query parameters such as {@code normalize}, {@code deleted} and
 * {@code subject} are accepted and ignored.
 */
final class RegistryRoutes {
    private final SchemaStore store;
    private final ObjectMapper json;

    RegistryRoutes(SchemaStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    JsonNode route(String method, URI uri, byte[] body) {
        List<String> p = Arrays.stream(uri.getRawPath().split("/"))
                .filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8))
                .toList();
        String route = method + " " + shape(p);
        return switch (route) {
            case "GET " -> json.createObjectNode();
            case "GET subjects" -> strings(store.subjects());
            case "POST subjects/*" -> registered(store.lookup(p.get(1), schemaOf(body)));
            case "DELETE subjects/*" -> ints(store.deleteSubject(p.get(1)));
            case "GET subjects/*/versions" -> ints(store.versions(p.get(1)));
            case "POST subjects/*/versions" -> {
                RegisteredSchema r = store.register(p.get(1), schemaOf(body));
                yield json.createObjectNode().put("id", r.id()).put("version", r.version());
            }
            case "GET subjects/*/versions/*" -> registered(version(p.get(1), p.get(3)));
            case "GET subjects/*/versions/*/schema" -> rawSchema(version(p.get(1), p.get(3)).schema());
            case "GET schemas/ids/*" -> json.createObjectNode().put("schema", store.schemaById(id(p.get(2))).toString());
            case "GET schemas/ids/*/schema" -> rawSchema(store.schemaById(id(p.get(2))));
            case "POST compatibility/subjects/*/versions/*" -> {
                Schema schema = schemaOf(body);
                boolean compatible = "latest".equals(p.get(4))
                        ? store.isCompatible(p.get(2), schema)
                        : store.isCompatible(p.get(2), schema, versionNumber(p.get(4)));
                yield json.createObjectNode().put("is_compatible", compatible);
            }
            case "GET config" -> level(null);
            case "GET config/*" -> level(p.get(1));
            case "PUT config" -> setLevel(null, body);
            case "PUT config/*" -> setLevel(p.get(1), body);
            default -> throw new RegistryException(404, 404, "HTTP 404 Not Found: " + method + " " + uri.getPath());
        };
    }

    /** The path with subject names, ids and versions replaced by '*', for matching. */
    private static String shape(List<String> p) {
        StringBuilder shape = new StringBuilder();
        for (int i = 0; i < p.size(); i++) {
            boolean variable = switch (p.get(0)) {
                case "subjects" -> i == 1 || i == 3;
                case "schemas" -> i == 2;
                case "compatibility" -> i == 2 || i == 4;
                case "config" -> i == 1;
                default -> false;
            };
            shape.append(i == 0 ? "" : "/").append(variable ? "*" : p.get(i));
        }
        return shape.toString();
    }

    private Schema schemaOf(byte[] body) {
        JsonNode request = parse(body);
        String type = request.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new RegistryException(422, RegistryException.INVALID_SCHEMA,
                    "Unsupported schemaType " + type + ": this registry stores AVRO schemas only");
        }
        if (request.path("references").size() > 0) {
            throw new RegistryException(422, RegistryException.INVALID_SCHEMA, "Schema references are not supported");
        }
        JsonNode schema = request.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw new RegistryException(422, RegistryException.INVALID_SCHEMA, "Missing \"schema\" string");
        }
        return SchemaStore.parse(schema.asText());
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new RegistryException(400, 400, "Request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new RegistryException(400, 400, "Unparseable JSON: " + e.getMessage());
        }
    }

    private RegisteredSchema version(String subject, String version) {
        return "latest".equals(version) || "-1".equals(version)
                ? store.latest(subject)
                : store.version(subject, versionNumber(version));
    }

    private static int versionNumber(String version) {
        try {
            int v = Integer.parseInt(version);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to Confluent's error
        }
        throw new RegistryException(422, RegistryException.INVALID_VERSION,
                "The specified version '" + version + "' is not a valid version id.");
    }

    private static int id(String id) {
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw new RegistryException(404, RegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
    }

    /** The .../schema endpoints answer with the schema itself as JSON, not wrapped in a string. */
    private JsonNode rawSchema(Schema schema) {
        try {
            return json.readTree(schema.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode registered(RegisteredSchema r) {
        return json.createObjectNode()
                .put("subject", r.subject())
                .put("version", r.version())
                .put("id", r.id())
                .put("schema", r.schema().toString());
    }

    // Confluent answers GET with "compatibilityLevel" but PUT with "compatibility"; clients rely on both.
    private ObjectNode level(String subject) {
        return json.createObjectNode().put("compatibilityLevel", store.levelOf(subject).name());
    }

    private ObjectNode setLevel(String subject, byte[] body) {
        JsonNode request = parse(body);
        CompatibilityLevel level = CompatibilityLevel.parse(request.path("compatibility").asText(""));
        store.setLevel(subject, level);
        return json.createObjectNode().put("compatibility", level.name());
    }

    private ArrayNode strings(List<String> values) {
        ArrayNode array = json.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private ArrayNode ints(List<Integer> values) {
        ArrayNode array = json.createArrayNode();
        values.forEach(array::add);
        return array;
    }
}
