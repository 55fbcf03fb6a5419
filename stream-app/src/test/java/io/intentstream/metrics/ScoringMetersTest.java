package io.intentstream.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ScoringMetersTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ScoringMeters meters = new ScoringMeters(registry);

    @Test
    void oneModelCallRecordsItsBatchSizeLatencyAndUsersUnderItsGraph() {
        meters.inference("step", 32, TimeUnit.MILLISECONDS.toNanos(5));
        meters.inference("step", 1, TimeUnit.MILLISECONDS.toNanos(1));
        meters.inference("recommend", 4, TimeUnit.MILLISECONDS.toNanos(7));
        assertThat(registry.get(IntentMetrics.INFERENCE_BATCH_SIZE).tag("graph", "step").summary().totalAmount())
                .isEqualTo(33);
        assertThat(registry.get(IntentMetrics.INFERENCE_LATENCY).tag("graph", "step").timer().count()).isEqualTo(2);
        assertThat(registry.get(IntentMetrics.INFERENCE_LATENCY).tag("graph", "step").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(6);
        assertThat(registry.get(IntentMetrics.INFERENCE_LATENCY).tag("graph", "recommend").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(7);
        assertThat(registry.get(IntentMetrics.SCORED_USERS).tag("graph", "recommend").counter().count()).isEqualTo(4);
    }

    @Test
    void everyGraphsSeriesExistsAtZeroBeforeItsFirstCall() {
        // Literal names: the ones IntentScorer reports under, which dashboards select on.
        for (String graph : java.util.List.of("step", "prefill", "recommend")) {
            assertThat(registry.get(IntentMetrics.INFERENCE_LATENCY).tag("graph", graph).timer().count()).isZero();
            assertThat(registry.get(IntentMetrics.INFERENCE_BATCH_SIZE).tag("graph", graph).summary().count()).isZero();
            assertThat(registry.get(IntentMetrics.SCORED_USERS).tag("graph", graph).counter().count()).isZero();
        }
    }

    @Test
    void aNegativeEventToOutputLatencyFromClockSkewCountsAsZero() {
        meters.eventToOutput(-50);
        assertThat(registry.get(IntentMetrics.EVENT_TO_OUTPUT_LATENCY).timer().max(TimeUnit.MILLISECONDS)).isZero();
        assertThat(registry.get(IntentMetrics.EVENT_TO_OUTPUT_LATENCY).timer().count()).isEqualTo(1);
    }

    @Test
    void dirtyUsersAreSummedOverTasksAndAClosedTaskStopsCounting() {
        meters.dirtyUsers("0_0", 3);
        meters.dirtyUsers("0_1", 4);
        meters.dirtyUsers("0_0", 1);
        assertThat(registry.get(IntentMetrics.DIRTY_USERS).gauge().value()).isEqualTo(5);
        meters.taskClosed("0_1");
        assertThat(registry.get(IntentMetrics.DIRTY_USERS).gauge().value()).isEqualTo(1);
    }

    @Test
    void scoresAndFailuresAreCountedFromZero() {
        assertThat(registry.get(IntentMetrics.SCORING_FAILURES).counter().count()).isZero();
        meters.scoresEmitted(3);
        meters.scoringFailure();
        meters.sequenceLength(7);
        assertThat(registry.get(IntentMetrics.SCORES_EMITTED).counter().count()).isEqualTo(3);
        assertThat(registry.get(IntentMetrics.SCORING_FAILURES).counter().count()).isEqualTo(1);
        assertThat(registry.get(IntentMetrics.SEQUENCE_LENGTH).summary().max()).isEqualTo(7);
    }
}
