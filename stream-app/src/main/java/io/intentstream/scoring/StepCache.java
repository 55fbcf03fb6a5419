package io.intentstream.scoring;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-user K/V caches of the streaming model: DERIVED state, never logged. An entry is a pure
 * function of the model version and the events it covers, and carries the model ids of those
 * events ({@link CoveredSteps}); a score uses it only when the stored events before the newest
 * map to exactly those steps (the graphs are a function of those ids and the window length).
 * Anything else (a miss after a restart, a rebalance or an eviction, a late or coalesced event, a
 * model swap) falls back to a prefill from the stored events, which are the source of
 * truth. So the cache needs no invalidation for correctness; entries are removed on erasure for
 * privacy, and the least recently used go when the byte budget is reached. Shared by the stream
 * threads of an instance (a user belongs to one task at a time).
 */
public final class StepCache {
    /** K and V as {@code [layers, heads, W-1, head dim]} floats, and the steps they were computed from. */
    public record Entry(String modelVersion, CoveredSteps covered, float[] k, float[] v) {
        long bytes(String user) {
            // arrays + key + map/record overhead
            return 2L * Float.BYTES * k.length + covered.bytes() + 2L * user.length() + 120;
        }
    }

    private final long maxBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private long bytes;

    public StepCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public synchronized Entry get(String user) {
        return entries.get(user);
    }

    public synchronized void put(String user, Entry e) {
        Entry old = entries.put(user, e);
        bytes += e.bytes(user) - (old == null ? 0 : old.bytes(user));
        Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            Map.Entry<String, Entry> x = eldest.next();
            bytes -= x.getValue().bytes(x.getKey());
            eldest.remove();
        }
    }

    public synchronized void remove(String user) {
        Entry old = entries.remove(user);
        if (old != null) {
            bytes -= old.bytes(user);
        }
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int size() {
        return entries.size();
    }
}
