package io.intentstream.topology;

import java.util.LinkedHashMap;
import java.util.Set;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Shoppers owed a score: userId → newest record timestamp, in arrival order. Kept in a store so a
 * crash or rebalance loses no pending work, and mirrored in memory so a scoring tick neither scans
 * the store nor pays a changelog read per user.
 */
final class DirtyShoppers {
    private final KeyValueStore<String, Long> store;
    private final LinkedHashMap<String, Long> pending = new LinkedHashMap<>();

    DirtyShoppers(ProcessorContext<?, ?> context) {
        store = context.getStateStore(StoreNames.DIRTY_USERS);
        // Users marked dirty before a crash or rebalance are still owed a score.
        try (KeyValueIterator<String, Long> it = store.all()) {
            it.forEachRemaining(kv -> pending.put(kv.key, kv.value));
        }
    }

    /** Marks the user dirty, keeping the newest record timestamp seen since their last score. */
    void mark(String user, long recordTimestamp) {
        Long previous = pending.get(user);
        long ts = previous == null ? recordTimestamp : Math.max(previous, recordTimestamp);
        pending.put(user, ts);
        store.put(user, ts);
    }

    /** Removes the user; returns the newest record timestamp they were dirty for, or null. */
    Long clear(String user) {
        Long ts = pending.remove(user);
        store.delete(user);
        return ts;
    }

    boolean contains(String user) {
        return pending.containsKey(user);
    }

    /** Dirty users in arrival order (a live view: clear while iterating a copy). */
    Set<String> users() {
        return pending.keySet();
    }

    int size() {
        return pending.size();
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }
}
