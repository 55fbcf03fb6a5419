package io.intentstream.schemas;

import io.intentstream.registry.serde.SpecificAvroSerde;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One topic of the contract: its name, the types of its keys and values, and how to build their
 * serdes. Producers, consumers, the topology and the tests take a {@code Topic<K, V>} instead of a
 * name plus a value class, so a topic cannot be paired with the wrong type.
 *
 * @param valueSerdes builds the value serde from the registry client settings ({@code registry.*}
 *                    without the prefix); raw-bytes topics ignore them
 */
public record Topic<K, V>(String name, Class<K> keyType, Class<V> valueType, Serde<K> keySerde,
                          Function<Map<String, ?>, Serde<V>> valueSerdes) {

    /** Registry-framed Avro values of a contract record type, keyed by user id. */
    public static <V extends SpecificRecord> Topic<String, V> avro(String name, Class<V> valueType) {
        return new Topic<>(name, String.class, valueType, Serdes.String(), registry -> {
            SpecificAvroSerde<V> serde = new SpecificAvroSerde<>(valueType);
            serde.configure(registry, false);
            return serde;
        });
    }

    /** Values whose bytes the app never decodes (erasure requests), keyed by user id. */
    public static Topic<String, byte[]> keyedBytes(String name) {
        return new Topic<>(name, String.class, byte[].class, Serdes.String(), registry -> Serdes.ByteArray());
    }

    /** Keys and values as raw bytes (dead letters keep the original record's bytes). */
    public static Topic<byte[], byte[]> rawBytes(String name) {
        return new Topic<>(name, byte[].class, byte[].class, Serdes.ByteArray(), registry -> Serdes.ByteArray());
    }

    /** The value serde configured with the registry client settings. */
    public Serde<V> valueSerde(Map<String, ?> registryConfig) {
        return valueSerdes.apply(registryConfig);
    }

    @Override
    public String toString() {
        return name;
    }
}
