package io.intentstream.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ModelMetersTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ModelMeters meters = new ModelMeters(registry);

    @Test
    void exactlyOneInfoSeriesNamesTheServedVersionAndProvider() {
        assertThat(registry.get(IntentMetrics.MODEL_LOADED).gauge().value()).isZero();
        meters.loaded("v1", "cpu");
        meters.loaded("v2", "cuda");
        assertThat(registry.find(IntentMetrics.MODEL_INFO).gauges()).hasSize(1);
        assertThat(registry.get(IntentMetrics.MODEL_INFO).tag("version", "v2").tag("provider", "cuda").gauge().value())
                .isEqualTo(1);
        assertThat(registry.get(IntentMetrics.MODEL_LOADED).gauge().value()).isEqualTo(1);
        meters.unloaded();
        assertThat(registry.get(IntentMetrics.MODEL_LOADED).gauge().value()).isZero();
    }

    @Test
    void swapOutcomesAndFallbacksStartAtZeroSoAlertsSeeTheSeries() {
        assertThat(registry.get(IntentMetrics.MODEL_SWAPS).tag("outcome", "success").counter().count()).isZero();
        assertThat(registry.get(IntentMetrics.MODEL_SWAPS).tag("outcome", "rejected").counter().count()).isZero();
        meters.swaps("rejected").increment();
        meters.providerFallback();
        assertThat(registry.get(IntentMetrics.MODEL_SWAPS).tag("outcome", "rejected").counter().count()).isEqualTo(1);
        assertThat(registry.get(IntentMetrics.PROVIDER_FALLBACKS).counter().count()).isEqualTo(1);
    }
}
