package io.intentstream.model;

import io.intentstream.config.IntentConfig;
import io.intentstream.config.ModelSettings;
import io.intentstream.config.ScoringSettings;
import io.intentstream.metrics.IntentMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The committed model (classpath {@code model/}) and the fixture files next to it. */
public final class TestModels {
    /** Exported artifacts, relative to the module directory (surefire's working directory). */
    public static final Path ARTIFACTS = Path.of("..", "model-export", "artifacts");

    private static LiveModel packaged;

    private TestModels() {}

    public static IntentConfig config(Map<String, String> overrides) {
        Map<String, String> m = new HashMap<>();
        m.put(ModelSettings.PROVIDER, "cpu");
        m.put(ModelSettings.INTRA_OP_THREADS, "1");
        m.put(ScoringSettings.MAX_BATCH, "32");
        m.putAll(overrides);
        return IntentConfig.of(m);
    }

    /**
     * The committed model on CPU, opened once per test JVM and shared by the suites that only
     * read it (it is released when the JVM exits). Suites that swap models open their own.
     */
    public static synchronized LiveModel packaged() {
        if (packaged == null) {
            packaged = open(Map.of(), IntentMetrics.noop());
        }
        return packaged;
    }

    public static LiveModel open(Map<String, String> overrides, IntentMetrics metrics) {
        return LiveModel.open(config(overrides), metrics);
    }

    /** The item vocabulary of the model {@code live} serves now. */
    public static List<String> itemVocab(LiveModel live) {
        try (LiveModel.Lease l = live.lease()) {
            return l.model().sidecar().items().vocab();
        }
    }

    public static List<ParityFixtures.Case> parityCases() throws IOException {
        try (InputStream in = Files.newInputStream(ARTIFACTS.resolve(ModelArtifacts.PARITY))) {
            return ParityFixtures.parse(in);
        }
    }

    /** Copies the committed model files into {@code dir} (a version folder for hot-swap tests). */
    public static Path copyModelTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : List.of(ModelArtifacts.PREFILL, ModelArtifacts.STEP, ModelArtifacts.RECOMMEND, ModelArtifacts.SIDECAR,
                ModelArtifacts.PARITY)) {
            Files.copy(ARTIFACTS.resolve(f), dir.resolve(f));
        }
        return dir;
    }
}
