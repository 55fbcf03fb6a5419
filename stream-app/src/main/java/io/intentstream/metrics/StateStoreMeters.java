package io.intentstream.metrics;

import static io.intentstream.metrics.IntentMetrics.ERASURES;
import static io.intentstream.metrics.IntentMetrics.SEQUENCES_EXPIRED;
import static io.intentstream.metrics.IntentMetrics.STATE_STORE_ENTRIES;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Shopper state: entries per store (summed over this instance's tasks), erasures, idle expiries. */
final class StateStoreMeters {
    private final MeterRegistry registry;
    private final Counter erasures;
    private final Counter expired;
    private final Map<String, Map<String, AtomicLong>> entriesByStore = new ConcurrentHashMap<>();

    StateStoreMeters(MeterRegistry registry) {
        this.registry = registry;
        erasures = Counter.builder(ERASURES).register(registry);
        expired = Counter.builder(SEQUENCES_EXPIRED).register(registry);
    }

    void storeEntries(String store, String taskId, long n) {
        entriesByStore.computeIfAbsent(store, s -> {
            Map<String, AtomicLong> perTask = new ConcurrentHashMap<>();
            Gauge.builder(STATE_STORE_ENTRIES, perTask, m -> m.values().stream().mapToLong(AtomicLong::get).sum())
                    .tag("store", s).register(registry);
            return perTask;
        }).computeIfAbsent(taskId, t -> new AtomicLong()).set(n);
    }

    void erasure() {
        erasures.increment();
    }

    void expired(int n) {
        expired.increment(n);
    }

    /** A closed task (moved away by a rebalance) no longer contributes. */
    void taskClosed(String taskId) {
        entriesByStore.values().forEach(m -> m.remove(taskId));
    }
}
