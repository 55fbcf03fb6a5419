package io.intentstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract's evolution rules: consumers on the current schemas must read everything written
 * with the released ones (BACKWARD), and every record and field says what it means.
 */
class SchemaEvolutionTest {
    private static final Path CURRENT = Path.of("src/main/avro");
    private static final Path RELEASED = Path.of("released");

    static List<Path> currentSchemas() throws IOException {
        try (Stream<Path> files = Files.list(CURRENT)) {
            return files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
        }
    }

    /** Newest released version of a schema file, or null when the schema is new. */
    private static Path latestRelease(String fileName) throws IOException {
        try (Stream<Path> versions = Files.list(RELEASED)) {
            return versions.filter(Files::isDirectory)
                    .filter(v -> v.getFileName().toString().matches("v\\d+"))
                    .sorted((a, b) -> Integer.compare(number(b), number(a)))
                    .map(v -> v.resolve(fileName))
                    .filter(Files::exists)
                    .findFirst().orElse(null);
        }
    }

    private static int number(Path version) {
        return Integer.parseInt(version.getFileName().toString().substring(1));
    }

    private static Schema parse(Path file) throws IOException {
        return new Schema.Parser().parse(file.toFile());
    }

    @Test
    void theContractHasSchemasAndEveryReleasedSchemaStillExists() throws IOException {
        assertThat(currentSchemas()).hasSize(6);
        try (Stream<Path> released = Files.list(RELEASED.resolve("v1"))) {
            released.forEach(file -> assertThat(CURRENT.resolve(file.getFileName())).as("released schema removed").exists());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void currentSchemaReadsDataWrittenWithItsReleasedVersion(Path current) throws IOException {
        Path released = latestRelease(current.getFileName().toString());
        if (released == null) {
            return; // a new schema: nothing released to stay compatible with
        }
        var result = SchemaCompatibility.checkReaderWriterCompatibility(parse(current), parse(released)).getResult();
        assertThat(result.getCompatibility())
                .as("%s must stay BACKWARD compatible with %s: %s", current, released, result.getIncompatibilities())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void everyRecordAndFieldIsDocumented(Path current) throws IOException {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(parse(current), undocumented, new ArrayList<>());
        assertThat(undocumented).as("records/fields without a doc in %s", current).isEmpty();
    }

    private static void collectUndocumented(Schema schema, List<String> missing, List<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.contains(schema.getFullName())) {
                    return;
                }
                seen.add(schema.getFullName());
                if (blank(schema.getDoc())) missing.add(schema.getFullName());
                for (Schema.Field field : schema.getFields()) {
                    if (blank(field.doc())) missing.add(schema.getFullName() + "." + field.name());
                    collectUndocumented(field.schema(), missing, seen);
                }
            }
            case ARRAY -> collectUndocumented(schema.getElementType(), missing, seen);
            case MAP -> collectUndocumented(schema.getValueType(), missing, seen);
            case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, missing, seen));
            case ENUM -> {
                if (blank(schema.getDoc())) missing.add(schema.getFullName());
            }
            default -> { }
        }
    }

    private static boolean blank(String doc) {
        return doc == null || doc.isBlank();
    }
}
