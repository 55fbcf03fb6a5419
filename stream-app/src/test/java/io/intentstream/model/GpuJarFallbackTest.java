package io.intentstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.intentstream.metrics.IntentMetrics;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs only in surefire's {@code gpu-jar-fallback} execution, whose classpath has ONNX Runtime's
 * GPU jar instead of the CPU one, on a machine without a GPU (CI).
 */
@Tag("gpu-jar")
class GpuJarFallbackTest {

    @Test
    void theGpuJarIsOnTheClasspath() {
        assertThat(OrtEnvironment.getAvailableProviders()).contains(OrtProvider.CUDA);
    }

    @Test
    void autoFallsBackToCpuOnAMachineWithoutGpuAndStillMatchesParity() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(ExecutionProviders.probeCuda().available(), "a GPU is present");
        IntentMetrics metrics = IntentMetrics.noop();
        try (LiveModel model = TestModels.open(Map.of("inference.provider", "auto"), metrics);
             LiveModel.Lease lease = model.lease()) {
            assertThat(model.provider()).isEqualTo("cpu");
            assertThat(metrics.registry().get(IntentMetrics.PROVIDER_FALLBACKS).counter().count()).isEqualTo(1.0);
            assertThat(ParityFixtures.check(lease.model(), TestModels.parityCases(), 8).maxDifference()).isLessThanOrEqualTo(1e-4);
        }
    }

    @Test
    void cudaFailsWithAClearMessage() {
        org.junit.jupiter.api.Assumptions.assumeFalse(ExecutionProviders.probeCuda().available(), "a GPU is present");
        assertThatThrownBy(() -> TestModels.open(Map.of("inference.provider", "cuda"), IntentMetrics.noop()))
                .hasMessageContaining("inference.provider=cuda")
                .hasMessageContaining("loading the CUDA provider failed")
                .hasMessageContaining("CUDA 12");
    }
}
