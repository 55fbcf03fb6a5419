package io.intentstream.sequence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;

/**
 * Shoppers ordered by a time (their last activity), one entry per shopper, so a punctuator finds
 * those idle since a cutoff by reading only the oldest entries instead of scanning every shopper
 * every tick. Derived state, rebuilt from the stored sequences when a task starts, so it lives on
 * the heap of the task's processor: a state store (even an unlogged in-memory one) cost a key
 * encoding, a sorted map of byte arrays and per-operation metrics, about 4% of the stream thread
 * for two updates per event. Times below zero are kept as zero. Not thread-safe: one task's
 * processor owns it.
 */
public final class IdleIndex {
    private record Entry(long timeMs, String userId) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            int byTime = Long.compare(timeMs, o.timeMs);
            return byTime != 0 ? byTime : userId.compareTo(o.userId);
        }
    }

    private final TreeSet<Entry> byTime = new TreeSet<>();
    private final Map<String, Long> timeOf = new HashMap<>();

    /** Indexes the user at {@code timeMs}, replacing their previous entry. */
    public void put(String userId, long timeMs) {
        long t = Math.max(0, timeMs);
        Long old = timeOf.put(userId, t);
        if (old != null) {
            byTime.remove(new Entry(old, userId));
        }
        byTime.add(new Entry(t, userId));
    }

    /** Removes the user's entry if it is at {@code timeMs}: a sweep acting on an entry it listed. */
    public void remove(String userId, long timeMs) {
        Long t = timeOf.get(userId);
        if (t != null && t == Math.max(0, timeMs)) {
            remove(userId);
        }
    }

    /** Removes the user's entry whatever its time (erasure: nothing of the user may stay). */
    public void remove(String userId) {
        Long old = timeOf.remove(userId);
        if (old != null) {
            byTime.remove(new Entry(old, userId));
        }
    }

    public boolean contains(String userId) {
        return timeOf.containsKey(userId);
    }

    public void clear() {
        byTime.clear();
        timeOf.clear();
    }

    public int size() {
        return timeOf.size();
    }

    /** Entries with time ≤ cutoff, oldest first, at most {@code limit}. */
    public List<KeyValue<String, Long>> dueBy(long cutoffMs, int limit) {
        List<KeyValue<String, Long>> due = new ArrayList<>();
        if (cutoffMs < 0) {
            return due;
        }
        for (Entry e : byTime) {
            if (due.size() >= limit || e.timeMs() > cutoffMs) {
                break;
            }
            due.add(KeyValue.pair(e.userId(), e.timeMs()));
        }
        return due;
    }
}
