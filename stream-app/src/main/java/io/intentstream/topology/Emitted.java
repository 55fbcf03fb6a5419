package io.intentstream.topology;

import io.intentstream.schemas.Topic;

/**
 * An output of the stateful processor: a value (null = tombstone) for one output topic. The topic
 * carries the value type, so a mismatch cannot compile. {@code storeForm}, when not null, is the
 * value's registry-free Avro form as {@link RawAvroSerde} wrote it for the state store (a format
 * byte, then the Avro body): the sink frames that body instead of encoding the value again.
 */
record Emitted<V>(Topic<String, V> topic, V value, byte[] storeForm) {
    Emitted(Topic<String, V> topic, V value) {
        this(topic, value, null);
    }

    static <V> Emitted<V> tombstone(Topic<String, V> topic) {
        return new Emitted<>(topic, null);
    }
}
