package io.intentstream.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A small synchronized least-recently-used map that bounds the client's caches. */
final class LruCache<K, V> {
    private final Map<K, V> map;

    LruCache(int capacity) {
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized V get(K key) {
        return map.get(key);
    }

    synchronized void put(K key, V value) {
        map.put(key, value);
    }

    /** Computes outside the lock so a slow HTTP call does not block other lookups. */
    V computeIfAbsent(K key, Function<K, V> loader) {
        V cached = get(key);
        if (cached != null) {
            return cached;
        }
        V loaded = loader.apply(key);
        put(key, loaded);
        return loaded;
    }

    synchronized int size() {
        return map.size();
    }
}
