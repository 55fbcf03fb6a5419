package io.intentstream.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files of one model version: {@code intent-model.onnx}, {@code intent-model.json} (sidecar)
 * and, optionally, {@code parity-fixtures.json}. Read from a directory or the classpath {@code model/}.
 */
public record ModelArtifacts(String source, byte[] onnx, byte[] sidecar, byte[] parityFixtures) {
    public static final String ONNX = "intent-model.onnx";
    public static final String SIDECAR = "intent-model.json";
    public static final String PARITY = "parity-fixtures.json";
    public static final String CLASSPATH_DIR = "model/";

    public static ModelArtifacts fromDirectory(Path dir) throws IOException {
        Path parity = dir.resolve(PARITY);
        return new ModelArtifacts(dir.toString(), Files.readAllBytes(dir.resolve(ONNX)),
                Files.readAllBytes(dir.resolve(SIDECAR)), Files.exists(parity) ? Files.readAllBytes(parity) : null);
    }

    public static ModelArtifacts fromClasspath() throws IOException {
        return new ModelArtifacts("classpath:" + CLASSPATH_DIR, resource(ONNX, true), resource(SIDECAR, true),
                resource(PARITY, false));
    }

    private static byte[] resource(String name, boolean required) throws IOException {
        ClassLoader cl = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : ModelArtifacts.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(CLASSPATH_DIR + name)) {
            if (in == null) {
                if (required) {
                    throw new IOException("classpath resource " + CLASSPATH_DIR + name + " missing (no packaged model)");
                }
                return null;
            }
            return in.readAllBytes();
        }
    }

    /**
     * The version folder to serve from {@code model.dir}: the newest subfolder holding a model (by
     * sidecar modification time, then name), or the folder itself when it holds the files directly.
     */
    public static Optional<Path> newestVersion(Path modelDir) throws IOException {
        if (!Files.isDirectory(modelDir)) {
            return Optional.empty();
        }
        List<Path> versions;
        try (Stream<Path> s = Files.list(modelDir)) {
            versions = s.filter(p -> Files.isRegularFile(p.resolve(ONNX)) && Files.isRegularFile(p.resolve(SIDECAR))).toList();
        }
        Optional<Path> newest = versions.stream().max(Comparator.comparingLong(ModelArtifacts::modified)
                .thenComparing(p -> p.getFileName().toString()));
        if (newest.isPresent()) {
            return newest;
        }
        return Files.isRegularFile(modelDir.resolve(ONNX)) ? Optional.of(modelDir) : Optional.empty();
    }

    static long modified(Path versionDir) {
        try {
            return Files.getLastModifiedTime(versionDir.resolve(SIDECAR)).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }

    public ModelSidecar parseSidecar() throws IOException {
        return ModelSidecar.parse(new ByteArrayInputStream(sidecar));
    }

    public List<ParityFixtures.Case> parseParity() throws IOException {
        return parityFixtures == null ? List.of() : ParityFixtures.parse(new ByteArrayInputStream(parityFixtures));
    }
}
