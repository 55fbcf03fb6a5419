package io.intentstream.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class StateStoreMetersTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final StateStoreMeters meters = new StateStoreMeters(registry);

    @Test
    void entriesArePerStoreSummedOverTasksAndForgottenWhenATaskCloses() {
        meters.storeEntries("intent-sequences", "0_0", 10);
        meters.storeEntries("intent-sequences", "0_1", 5);
        meters.storeEntries("intent-latest-scores", "0_0", 7);
        assertThat(registry.get(IntentMetrics.STATE_STORE_ENTRIES).tag("store", "intent-sequences").gauge().value())
                .isEqualTo(15);
        assertThat(registry.get(IntentMetrics.STATE_STORE_ENTRIES).tag("store", "intent-latest-scores").gauge().value())
                .isEqualTo(7);
        meters.taskClosed("0_0");
        assertThat(registry.get(IntentMetrics.STATE_STORE_ENTRIES).tag("store", "intent-sequences").gauge().value())
                .isEqualTo(5);
    }

    @Test
    void erasuresAndExpiriesAreCounted() {
        meters.erasure();
        meters.expired(3);
        assertThat(registry.get(IntentMetrics.ERASURES).counter().count()).isEqualTo(1);
        assertThat(registry.get(IntentMetrics.SEQUENCES_EXPIRED).counter().count()).isEqualTo(3);
    }
}
