package io.intentstream.registry;

import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/** Confluent's compatibility levels, checked with Avro's own {@link SchemaCompatibility}. */
public enum CompatibilityLevel {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

    public static CompatibilityLevel parse(String level) {
        try {
            return valueOf(level.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new RegistryException(422, RegistryException.INVALID_COMPATIBILITY_LEVEL,
                    "Invalid compatibility level: " + level);
        }
    }

    boolean transitive() {
        return name().endsWith("_TRANSITIVE");
    }

    /**
     * Problems found when {@code candidate} would follow {@code existing} (oldest first); empty
     * when compatible. Non-transitive levels look only at the newest existing version.
     */
    public List<String> problems(Schema candidate, List<Schema> existing) {
        if (this == NONE || existing.isEmpty()) {
            return List.of();
        }
        List<Schema> against = transitive() ? existing : List.of(existing.get(existing.size() - 1));
        boolean backward = name().startsWith("BACKWARD") || name().startsWith("FULL");
        boolean forward = name().startsWith("FORWARD") || name().startsWith("FULL");
        return against.stream()
                .flatMap(old -> {
                    var found = new java.util.ArrayList<String>();
                    // BACKWARD: consumers on the new schema must read data written with the old one.
                    if (backward) found.addAll(check(candidate, old, "BACKWARD"));
                    // FORWARD: consumers still on the old schema must read data written with the new one.
                    if (forward) found.addAll(check(old, candidate, "FORWARD"));
                    return found.stream();
                })
                .toList();
    }

    private static List<String> check(Schema reader, Schema writer, String direction) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return result.getIncompatibilities().stream()
                .map(i -> direction + ": " + i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                .toList();
    }
}
