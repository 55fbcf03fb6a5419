package io.intentstream.registry.serde;

import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;

/** Narrows {@link KafkaAvroDeserializer} to one value type for a typed {@code Serde<T>}. */
final class TypedDeserializer<T> implements Deserializer<T> {
    private final KafkaAvroDeserializer inner;
    private final Map<String, Object> overrides;

    TypedDeserializer(KafkaAvroDeserializer inner, Map<String, Object> overrides) {
        this.inner = inner;
        this.overrides = overrides;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> merged = new java.util.HashMap<>(configs);
        merged.putAll(overrides);
        inner.configure(merged, isKey);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        return (T) inner.deserialize(topic, data);
    }

    @Override
    public void close() {
        inner.close();
    }
}
