package io.intentstream.registry.serde;

import io.intentstream.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for generated Avro classes, for Kafka Streams. With a class, values always read into that
 * class; without one, the class is found from the writer schema's name ({@code specific.avro.reader}).
 * Call {@link #configure} (Streams does it for default serdes; do it yourself for serdes passed to
 * {@code Consumed}/{@code Produced}).
 */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final Serializer<T> serializer;
    private final Deserializer<T> deserializer;

    public SpecificAvroSerde() {
        this(null, null);
    }

    public SpecificAvroSerde(Class<T> type) {
        this(type, null);
    }

    /** With an explicit client (e.g. a shared one, or a test's), instead of one built from the config. */
    public SpecificAvroSerde(Class<T> type, SchemaRegistryClient client) {
        this.serializer = new TypedSerializer<>(new KafkaAvroSerializer(client));
        this.deserializer = new TypedDeserializer<>(new KafkaAvroDeserializer(client, type),
                Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER, true));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
