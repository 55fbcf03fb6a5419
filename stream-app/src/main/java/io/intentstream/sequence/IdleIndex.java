package io.intentstream.sequence;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A time-ordered index {@code [time: 8 bytes big-endian][user id]} over a key-value store, so a
 * punctuator finds the users idle since a cutoff by reading only the oldest entries instead of
 * scanning every user every tick (RocksDB iterates keys in byte order; times are non-negative).
 */
public final class IdleIndex {
    private final KeyValueStore<Bytes, byte[]> store;

    public IdleIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    static Bytes key(long timeMs, String userId) {
        byte[] user = userId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + user.length).putLong(Math.max(0, timeMs)).put(user).array());
    }

    public void put(String userId, long timeMs) {
        store.put(key(timeMs, userId), new byte[0]);
    }

    public void remove(String userId, long timeMs) {
        store.delete(key(timeMs, userId));
    }

    /** Moves the user's entry from {@code oldTimeMs} (if any; negative = none) to {@code newTimeMs}. */
    public void move(String userId, long oldTimeMs, long newTimeMs) {
        if (oldTimeMs >= 0 && oldTimeMs != newTimeMs) {
            remove(userId, oldTimeMs);
        }
        put(userId, newTimeMs);
    }

    /** Removes every entry (the index is rebuilt from the sequences when a task starts). */
    public void clear() {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(store::delete);
    }

    /** Entries with time ≤ cutoff, oldest first, at most {@code limit}. */
    public List<KeyValue<String, Long>> dueBy(long cutoffMs, int limit) {
        List<KeyValue<String, Long>> due = new ArrayList<>();
        if (cutoffMs < 0) {
            return due;
        }
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext() && due.size() < limit) {
                byte[] k = it.next().key.get();
                ByteBuffer b = ByteBuffer.wrap(k);
                long t = b.getLong();
                if (t > cutoffMs) {
                    break;
                }
                due.add(KeyValue.pair(new String(k, 8, k.length - 8, StandardCharsets.UTF_8), t));
            }
        }
        return due;
    }
}
