package io.intentstream.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ProcessMetricsTest {
    @Test
    void bindsTheJvmAndProcessMetersTheDashboardUses() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ProcessMetrics process = new ProcessMetrics()) {
            process.bindTo(registry);
            assertThat(registry.find("jvm.memory.used").gauges()).isNotEmpty();
            assertThat(registry.find("jvm.threads.live").gauge()).isNotNull();
            assertThat(registry.find("process.cpu.usage").gauge()).isNotNull();
            assertThat(registry.find("process.uptime").timeGauge()).isNotNull();
            assertThat(registry.find("jvm.classes.loaded").gauge().value()).isPositive();
        }
    }
}
