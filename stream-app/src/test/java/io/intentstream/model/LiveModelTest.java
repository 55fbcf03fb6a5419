package io.intentstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.metrics.IntentMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serving from {@code model.dir}: which version is served, and what is refused. */
class LiveModelTest {
    private static final long NOW = System.currentTimeMillis();

    @Test
    void aBrokenNewestVersionAtStartUpFallsBackToTheNewestGoodOne(@TempDir Path models) throws Exception {
        Path good = TestModels.copyModelTo(models.resolve("v1"));
        Path broken = TestModels.copyModelTo(models.resolve("v2"));
        Files.write(broken.resolve(ModelArtifacts.STEP), new byte[] {1, 2, 3});
        touch(good, NOW - 60_000);
        touch(broken, NOW);
        IntentMetrics metrics = IntentMetrics.noop();
        try (LiveModel live = TestModels.open(Map.of("model.dir", models.toString()), metrics)) {
            assertThat(live.isReady()).isTrue();
            assertThat(rejected(metrics)).isEqualTo(1);
            assertThat(live.checkForNewVersion()).as("the broken folder is not retried until it changes").isFalse();
            assertThat(rejected(metrics)).isEqualTo(1);
        }
    }

    @Test
    void aVersionWithoutParityFixturesIsNeverServed(@TempDir Path models) throws Exception {
        TestModels.copyModelTo(models.resolve("v1"));
        touch(models.resolve("v1"), NOW - 60_000);
        IntentMetrics metrics = IntentMetrics.noop();
        try (LiveModel live = TestModels.open(Map.of("model.dir", models.toString()), metrics)) {
            Path unchecked = TestModels.copyModelTo(models.resolve("v2"));
            Files.delete(unchecked.resolve(ModelArtifacts.PARITY));
            touch(unchecked, NOW);
            assertThat(live.checkForNewVersion()).isFalse();
            assertThat(rejected(metrics)).isEqualTo(1);
        }
    }

    @Test
    void aFolderWhoseModelFileArrivesLastIsCheckedAgainOnceItIsComplete(@TempDir Path models) throws Exception {
        TestModels.copyModelTo(models.resolve("v1"));
        touch(models.resolve("v1"), NOW - 60_000);
        IntentMetrics metrics = IntentMetrics.noop();
        try (LiveModel live = TestModels.open(Map.of("model.dir", models.toString()), metrics)) {
            Path v2 = TestModels.copyModelTo(models.resolve("v2"));
            byte[] onnx = Files.readAllBytes(v2.resolve(ModelArtifacts.STEP));
            Files.write(v2.resolve(ModelArtifacts.STEP), new byte[] {0}); // still being copied
            touch(v2, NOW);
            assertThat(live.checkForNewVersion()).isFalse();
            Files.write(v2.resolve(ModelArtifacts.STEP), onnx);              // copy finished
            Files.setLastModifiedTime(v2.resolve(ModelArtifacts.STEP), FileTime.fromMillis(NOW + 1_000));
            assertThat(live.checkForNewVersion()).isTrue();
        }
    }

    private static void touch(Path version, long millis) throws Exception {
        for (String f : new String[] {ModelArtifacts.PREFILL, ModelArtifacts.STEP, ModelArtifacts.SIDECAR, ModelArtifacts.PARITY}) {
            if (Files.exists(version.resolve(f))) {
                Files.setLastModifiedTime(version.resolve(f), FileTime.fromMillis(millis));
            }
        }
    }

    private static double rejected(IntentMetrics metrics) {
        return metrics.registry().get(io.intentstream.metrics.IntentMetrics.MODEL_SWAPS).tag("outcome", "rejected").counter().count();
    }
}
