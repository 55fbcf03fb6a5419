package io.intentstream.it.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A {@code model.dir} for the run: the packaged model as version v1, and a corrupt v2 to drop in. */
final class ModelVersions {
    private static final List<String> FILES = List.of("prefill.onnx", "step.onnx", "recommend.onnx", "intent-model.json",
            "parity-fixtures.json");

    private ModelVersions() {}

    /** Copies the packaged model to {@code modelDir/v1}; returns its model_version. */
    static String installGood(Path modelDir) throws IOException {
        Path v1 = Files.createDirectories(modelDir.resolve("v1"));
        for (String f : FILES) {
            Files.write(v1.resolve(f), resource(f));
            // Older than anything dropped later, so the corrupt one is the newest candidate.
            Files.setLastModifiedTime(v1.resolve(f), FileTime.from(Instant.now().minusSeconds(3600)));
        }
        return new ObjectMapper().readTree(resource("intent-model.json")).path("model_version").asText();
    }

    /**
     * Drops {@code modelDir/v2}: a valid sidecar under a new version name, the fixtures and the
     * prefill graph, but a step graph cut off after 4 KB, as a copy interrupted halfway would leave it. Written to a
     * temporary folder first and renamed, as a deployment tool would.
     */
    static String dropCorrupt(Path modelDir) throws IOException {
        Path staging = Files.createDirectories(modelDir.resolveSibling("v2-staging"));
        ObjectNode sidecar = (ObjectNode) new ObjectMapper().readTree(resource("intent-model.json"));
        String version = "corrupt-" + sidecar.path("model_version").asText();
        sidecar.put("model_version", version);
        Files.write(staging.resolve("intent-model.json"), new ObjectMapper().writeValueAsBytes(sidecar));
        Files.write(staging.resolve("parity-fixtures.json"), resource("parity-fixtures.json"));
        Files.write(staging.resolve("prefill.onnx"), resource("prefill.onnx"));
        Files.write(staging.resolve("step.onnx"), Arrays.copyOf(resource("step.onnx"), 4096));
        Files.write(staging.resolve("recommend.onnx"), resource("recommend.onnx"));
        Files.move(staging, modelDir.resolve("v2"));
        return version;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ModelVersions.class.getClassLoader().getResourceAsStream("model/" + name)) {
            if (in == null) {
                throw new IOException("packaged model file model/" + name + " missing from the test class path");
            }
            return in.readAllBytes();
        }
    }
}
