package io.intentstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentstream.config.ModelSettings.Provider;
import io.intentstream.metrics.IntentMetrics;
import org.junit.jupiter.api.Test;

/** On the default (CPU) jar: cpu works, auto falls back once with a metric, cuda fails fast. */
class ExecutionProvidersTest {

    @Test
    void cpuIsUsedAsIs() {
        assertThat(ExecutionProviders.resolve(Provider.CPU, IntentMetrics.noop())).isEqualTo("cpu");
    }

    @Test
    void autoFallsBackToCpuAndCountsTheFallback() {
        IntentMetrics metrics = IntentMetrics.noop();
        assertThat(ExecutionProviders.resolve(Provider.AUTO, metrics)).isEqualTo("cpu");
        assertThat(metrics.registry().get(IntentMetrics.PROVIDER_FALLBACKS).counter().count()).isEqualTo(1.0);
    }

    @Test
    void cudaFailsFastWithAMessageNamingWhatIsMissing() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> ExecutionProviders.resolve(Provider.CUDA, IntentMetrics.noop()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inference.provider=cuda")
                .hasMessageContaining("onnxruntime_gpu")
                .hasMessageContaining("CUDA 12")
                .hasMessageContaining("cuDNN 9");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    }

    @Test
    void theProbeRunsOncePerProcess() {
        assertThat(ExecutionProviders.probeCuda()).isSameAs(ExecutionProviders.probeCuda());
    }
}
