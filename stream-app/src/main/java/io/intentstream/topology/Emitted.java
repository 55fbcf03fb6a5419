package io.intentstream.topology;

import io.intentstream.schemas.Topic;

/**
 * An output of the stateful processor: a value (null = tombstone) for one output topic. The topic
 * carries the value type, so the sink casts with {@link Class#cast} and a mismatch cannot compile.
 */
record Emitted<V>(Topic<String, V> topic, V value) {
    static <V> Emitted<V> tombstone(Topic<String, V> topic) {
        return new Emitted<>(topic, null);
    }
}
