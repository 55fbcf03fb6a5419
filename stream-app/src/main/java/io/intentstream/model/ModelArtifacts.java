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
 * The files of one model version: the {@code prefill.onnx}, {@code step.onnx} and
 * {@code recommend.onnx} graphs,
 * {@code intent-model.json} (sidecar) and, optionally, {@code parity-fixtures.json}. Read from a
 * directory or the classpath {@code model/}.
 */
public record ModelArtifacts(String source, byte[] prefill, byte[] step, byte[] recommend, byte[] sidecar,
                             byte[] parityFixtures) {
    public static final String PREFILL = "prefill.onnx";
    public static final String STEP = "step.onnx";
    public static final String RECOMMEND = "recommend.onnx";
    public static final String SIDECAR = "intent-model.json";
    public static final String PARITY = "parity-fixtures.json";
    /** Every file a version folder needs before it is a candidate. */
    public static final List<String> REQUIRED = List.of(PREFILL, STEP, RECOMMEND, SIDECAR);
    public static final String CLASSPATH_DIR = "model/";

    public static ModelArtifacts fromDirectory(Path dir) throws IOException {
        Path parity = dir.resolve(PARITY);
        return new ModelArtifacts(dir.toString(), Files.readAllBytes(dir.resolve(PREFILL)), Files.readAllBytes(dir.resolve(STEP)),
                Files.readAllBytes(dir.resolve(RECOMMEND)), Files.readAllBytes(dir.resolve(SIDECAR)), Files.exists(parity) ? Files.readAllBytes(parity) : null);
    }

    public static ModelArtifacts fromClasspath() throws IOException {
        return new ModelArtifacts("classpath:" + CLASSPATH_DIR, resource(PREFILL, true), resource(STEP, true),
                resource(RECOMMEND, true), resource(SIDECAR, true), resource(PARITY, false));
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
     * The version folder to serve from {@code model.dir}: the newest subfolder holding a model (see
     * {@link #versionsNewestFirst}), or the folder itself when it holds the files directly.
     */
    public static Optional<Path> newestVersion(Path modelDir) throws IOException {
        return versionsNewestFirst(modelDir).stream().findFirst();
    }

    /** Version folders under {@code model.dir}, newest first (by {@link #modified}, then name). */
    public static List<Path> versionsNewestFirst(Path modelDir) throws IOException {
        if (!Files.isDirectory(modelDir)) {
            return List.of();
        }
        List<Path> versions;
        try (Stream<Path> s = Files.list(modelDir)) {
            versions = s.filter(ModelArtifacts::holdsModel).toList();
        }
        if (versions.isEmpty()) {
            return holdsModel(modelDir) ? List.of(modelDir) : List.of();
        }
        return versions.stream().sorted(Comparator.comparingLong(ModelArtifacts::modified)
                .thenComparing(p -> p.getFileName().toString()).reversed()).toList();
    }

    private static boolean holdsModel(Path dir) {
        return REQUIRED.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    /**
     * Newest modification time of the folder's model files: a file copied in after the others
     * (a graph after the sidecar, say) makes the folder a new candidate, not a stale rejection.
     */
    static long modified(Path versionDir) {
        long newest = Long.MIN_VALUE;
        for (String f : List.of(PREFILL, STEP, RECOMMEND, SIDECAR, PARITY)) {
            try {
                newest = Math.max(newest, Files.getLastModifiedTime(versionDir.resolve(f)).toMillis());
            } catch (IOException e) {
                // missing file: the others decide
            }
        }
        return newest;
    }

    /** True for artifacts read from a {@code model.dir} folder (they must carry parity fixtures). */
    public boolean fromModelDir() {
        return !source.startsWith("classpath:");
    }

    public ModelSidecar parseSidecar() throws IOException {
        return ModelSidecar.parse(new ByteArrayInputStream(sidecar));
    }

    public List<ParityFixtures.Case> parseParity() throws IOException {
        return parityFixtures == null ? List.of() : ParityFixtures.parse(new ByteArrayInputStream(parityFixtures));
    }
}
