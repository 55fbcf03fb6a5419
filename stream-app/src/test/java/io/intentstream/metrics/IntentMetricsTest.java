package io.intentstream.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The facade: every series dashboards and alerts read exists from start-up, at zero. */
class IntentMetricsTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final IntentMetrics metrics = new IntentMetrics(registry);

    @Test
    void seriesThatAlertsRateOverExistBeforeTheFirstEvent() {
        for (String type : new String[] {"browse", "search", "cart", "erasure"}) {
            assertThat(registry.get(IntentMetrics.EVENTS_IN).tag("type", type).counter().count()).isZero();
        }
        assertThat(registry.get(IntentMetrics.STREAM_THREAD_FAILURES).tag("kind", "fault").counter().count()).isZero();
        assertThat(registry.get(IntentMetrics.DLQ_DROPPED).counter().count()).isZero();
        assertThat(registry.get(IntentMetrics.SCORES_EMITTED).counter().count()).isZero();
        assertThat(registry.get(IntentMetrics.MODEL_LOADED).gauge().value()).isZero();
    }

    @Test
    void recordsReachTheBindersMeters() {
        metrics.deadLetters("MISSING_KEY", 2);
        metrics.trigger("HIGH_PURCHASE_INTENT");
        metrics.scoresEmitted(1);
        metrics.dirtyUsers("0_0", 4);
        metrics.taskClosed("0_0");
        assertThat(registry.get(IntentMetrics.DLQ_RECORDS).tag("reason", "MISSING_KEY").counter().count()).isEqualTo(2);
        assertThat(registry.get(IntentMetrics.TRIGGERS).tag("type", "HIGH_PURCHASE_INTENT").counter().count()).isEqualTo(1);
        assertThat(registry.get(IntentMetrics.SCORES_EMITTED).counter().count()).isEqualTo(1);
        assertThat(registry.get(IntentMetrics.DIRTY_USERS).gauge().value()).isZero();
    }
}
