package io.intentstream.topology;

import io.intentstream.registry.serde.KafkaAvroSerializer;
import io.intentstream.schemas.Topic;
import java.util.Map;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value serde of an Avro output topic's sink: an {@link Emitted} value in the registry's wire
 * format, exactly as the topic's own serde ({@code Topic.avro}: a registry serializer configured
 * with the same settings) writes it. A value that carries its store form (the latest score and
 * recommendation, encoded once for the state store) is framed as it is, not encoded a second
 * time; {@code EmittedSerdeTest} checks the bytes are the same.
 */
final class EmittedSerde {
    private EmittedSerde() {}

    static Serde<Emitted<?>> of(Topic<String, ?> topic, Map<String, Object> registry) {
        KafkaAvroSerializer avro = new KafkaAvroSerializer();
        avro.configure(registry, false);
        Serializer<Emitted<?>> serializer = new Serializer<>() {
            @Override
            public byte[] serialize(String name, Emitted<?> e) {
                if (e == null || e.value() == null) {
                    return null;
                }
                byte[] stored = e.storeForm();
                if (stored == null || stored.length == 0) {
                    return avro.serialize(name, e.value());
                }
                int body = RawAvroSerde.bodyOffset(stored);
                return avro.serializeEncoded(name, (IndexedRecord) e.value(), stored, body, stored.length - body);
            }

            @Override
            public void close() {
                avro.close();
            }
        };
        Deserializer<Emitted<?>> none = (name, bytes) -> {
            throw new UnsupportedOperationException("sink serde of " + topic.name() + " only writes");
        };
        return Serdes.serdeFrom(serializer, none);
    }
}
