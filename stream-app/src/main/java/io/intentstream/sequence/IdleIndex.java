package io.intentstream.sequence;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;

/**
 * Shoppers ordered by a time (their last activity), so a punctuator finds those idle since a
 * cutoff by reading only the oldest entries instead of scanning every shopper every tick. Derived
 * state, rebuilt from the stored sequences when a task starts, so it lives on the heap of the
 * task's processor: a state store (even an unlogged in-memory one) cost a key encoding, a sorted
 * map of byte arrays and per-operation metrics, about 4% of the stream thread for two moves per
 * event. Times below zero are kept as zero. Not thread-safe: one task's processor owns it.
 */
public final class IdleIndex {
    private record Entry(long timeMs, String userId) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            int byTime = Long.compare(timeMs, o.timeMs);
            return byTime != 0 ? byTime : userId.compareTo(o.userId);
        }
    }

    private final TreeSet<Entry> entries = new TreeSet<>();

    public void put(String userId, long timeMs) {
        entries.add(new Entry(Math.max(0, timeMs), userId));
    }

    public void remove(String userId, long timeMs) {
        entries.remove(new Entry(Math.max(0, timeMs), userId));
    }

    /** Moves the user's entry from {@code oldTimeMs} (if any; negative = none) to {@code newTimeMs}. */
    public void move(String userId, long oldTimeMs, long newTimeMs) {
        if (oldTimeMs >= 0 && oldTimeMs != newTimeMs) {
            remove(userId, oldTimeMs);
        }
        put(userId, newTimeMs);
    }

    public void clear() {
        entries.clear();
    }

    public int size() {
        return entries.size();
    }

    /** Entries with time ≤ cutoff, oldest first, at most {@code limit}. */
    public List<KeyValue<String, Long>> dueBy(long cutoffMs, int limit) {
        List<KeyValue<String, Long>> due = new ArrayList<>();
        if (cutoffMs < 0) {
            return due;
        }
        for (Entry e : entries) {
            if (due.size() >= limit || e.timeMs() > cutoffMs) {
                break;
            }
            due.add(KeyValue.pair(e.userId(), e.timeMs()));
        }
        return due;
    }
}
