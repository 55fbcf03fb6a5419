package io.intentstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.AvroRuntimeException;

/**
 * The registry's state and rules, shared by {@link MockSchemaRegistry} and the HTTP server so
 * both behave the same: ids are global (the same schema gets the same id in every subject),
 * versions count per subject, and registration honours the compatibility level.
 *
 * <p>Schemas are identified by Avro's normalised JSON ({@link Schema#toString()}): whitespace and
 * key order do not matter, docs and defaults do (as with Confluent's registry).
 *
 * <p>Thread-safe: every public method is synchronized; the registry is tiny and rarely written.
 */
public final class SchemaStore {
    private record Version(int version, int id, boolean deleted) {}

    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    private final Map<String, List<Version>> subjects = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new TreeMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int nextId = 1;
    private Runnable onChange = () -> {};

    /** Called (under the store's lock) after each change, e.g. to persist a snapshot. */
    public synchronized void onChange(Runnable listener) {
        this.onChange = listener;
    }

    public static Schema parse(String schemaJson) {
        try {
            return new Schema.Parser().parse(schemaJson);
        } catch (AvroRuntimeException | NullPointerException e) {
            // Avro reports some unresolvable names as NullPointerException.
            throw new RegistryException(422, RegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
        }
    }

    public synchronized RegisteredSchema register(String subject, Schema schema) {
        String canonical = schema.toString();
        List<Version> live = live(subject);
        for (Version v : live) {
            if (schemasById.get(v.id()).toString().equals(canonical)) {
                return toRegistered(subject, v);
            }
        }
        List<String> problems = levelOf(subject).problems(schema, live.stream().map(v -> schemasById.get(v.id())).toList());
        if (!problems.isEmpty()) {
            throw new IncompatibleSchemaException("Schema being registered is incompatible with an earlier schema for subject \""
                    + subject + "\", details: " + problems);
        }
        int id = idsByCanonical.computeIfAbsent(canonical, c -> {
            schemasById.put(nextId, schema);
            return nextId++;
        });
        List<Version> all = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        int version = all.stream().mapToInt(Version::version).max().orElse(0) + 1;
        Version added = new Version(version, id, false);
        all.add(added);
        onChange.run();
        return toRegistered(subject, added);
    }

    public synchronized RegisteredSchema lookup(String subject, Schema schema) {
        String canonical = schema.toString();
        return existingLive(subject).stream()
                .filter(v -> schemasById.get(v.id()).toString().equals(canonical))
                .findFirst()
                .map(v -> toRegistered(subject, v))
                .orElseThrow(() -> new SchemaNotFoundException("Schema not found under subject " + subject));
    }

    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new UnknownSchemaIdException(id);
        }
        return schema;
    }

    public synchronized RegisteredSchema latest(String subject) {
        List<Version> live = existingLive(subject);
        return toRegistered(subject, live.get(live.size() - 1));
    }

    public synchronized RegisteredSchema version(String subject, int version) {
        return existingLive(subject).stream()
                .filter(v -> v.version() == version)
                .findFirst()
                .map(v -> toRegistered(subject, v))
                .orElseThrow(() -> new RegistryException(404, RegistryException.VERSION_NOT_FOUND,
                        "Version " + version + " not found."));
    }

    /** Compatibility against the latest version (or all, for transitive levels); true for a new subject. */
    public synchronized boolean isCompatible(String subject, Schema schema) {
        return levelOf(subject).problems(schema, live(subject).stream().map(v -> schemasById.get(v.id())).toList()).isEmpty();
    }

    /** Compatibility against one version only, as {@code POST /compatibility/subjects/{s}/versions/{v}} does. */
    public synchronized boolean isCompatible(String subject, Schema schema, int version) {
        Schema old = version(subject, version).schema();
        CompatibilityLevel level = levelOf(subject);
        return level.problems(schema, List.of(old)).isEmpty();
    }

    public synchronized List<String> subjects() {
        return subjects.keySet().stream().filter(s -> !live(s).isEmpty()).toList();
    }

    public synchronized List<Integer> versions(String subject) {
        return existingLive(subject).stream().map(Version::version).toList();
    }

    /** Soft delete: the versions disappear from reads, their ids stay resolvable. */
    public synchronized List<Integer> deleteSubject(String subject) {
        List<Integer> deleted = versions(subject);
        subjects.computeIfPresent(subject, (s, vs) -> new ArrayList<>(vs.stream()
                .map(v -> new Version(v.version(), v.id(), true)).toList()));
        onChange.run();
        return deleted;
    }

    public synchronized void setLevel(String subjectOrNull, CompatibilityLevel level) {
        if (subjectOrNull == null) {
            globalLevel = level;
        } else {
            subjectLevels.put(subjectOrNull, level);
        }
        onChange.run();
    }

    /** The subject's own level, falling back to the global one. */
    public synchronized CompatibilityLevel levelOf(String subjectOrNull) {
        return subjectOrNull == null ? globalLevel : subjectLevels.getOrDefault(subjectOrNull, globalLevel);
    }

    // --- persistence: a plain JSON document, so an operator can read (and diff) it ---

    public synchronized JsonNode snapshot(ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        root.put("nextId", nextId);
        root.put("compatibility", globalLevel.name());
        ObjectNode levels = root.putObject("subjectCompatibility");
        subjectLevels.forEach((s, l) -> levels.put(s, l.name()));
        ObjectNode schemas = root.putObject("schemas");
        new TreeMap<>(schemasById).forEach((id, s) -> schemas.put(String.valueOf(id), s.toString()));
        ObjectNode subjectsNode = root.putObject("subjects");
        subjects.forEach((s, versions) -> {
            var array = subjectsNode.putArray(s);
            versions.forEach(v -> array.addObject().put("version", v.version()).put("id", v.id()).put("deleted", v.deleted()));
        });
        return root;
    }

    public synchronized void restore(JsonNode root) {
        schemasById.clear();
        idsByCanonical.clear();
        subjects.clear();
        subjectLevels.clear();
        nextId = root.path("nextId").asInt(1);
        globalLevel = CompatibilityLevel.parse(root.path("compatibility").asText("BACKWARD"));
        root.path("subjectCompatibility").properties().forEach(e ->
                subjectLevels.put(e.getKey(), CompatibilityLevel.parse(e.getValue().asText())));
        root.path("schemas").properties().forEach(e -> {
            Schema schema = parse(e.getValue().asText());
            int id = Integer.parseInt(e.getKey());
            schemasById.put(id, schema);
            idsByCanonical.put(schema.toString(), id);
        });
        root.path("subjects").properties().forEach(e -> {
            List<Version> versions = new ArrayList<>();
            e.getValue().forEach(v -> versions.add(new Version(v.path("version").asInt(), v.path("id").asInt(), v.path("deleted").asBoolean())));
            subjects.put(e.getKey(), versions);
        });
    }

    private List<Version> live(String subject) {
        return subjects.getOrDefault(subject, List.of()).stream().filter(v -> !v.deleted()).toList();
    }

    private List<Version> existingLive(String subject) {
        List<Version> live = live(subject);
        if (live.isEmpty()) {
            throw new SubjectNotFoundException("Subject '" + subject + "' not found.");
        }
        return live;
    }

    private RegisteredSchema toRegistered(String subject, Version v) {
        return new RegisteredSchema(subject, v.id(), v.version(), schemasById.get(v.id()));
    }
}
