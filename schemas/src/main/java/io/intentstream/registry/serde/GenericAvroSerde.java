package io.intentstream.registry.serde;

import io.intentstream.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Serde for {@link GenericRecord}s: values read with the writer's schema (or the latest, if configured). */
public class GenericAvroSerde implements Serde<GenericRecord> {
    private final Serializer<GenericRecord> serializer;
    private final Deserializer<GenericRecord> deserializer;

    public GenericAvroSerde() {
        this(null);
    }

    public GenericAvroSerde(SchemaRegistryClient client) {
        this.serializer = new TypedSerializer<>(new KafkaAvroSerializer(client));
        this.deserializer = new TypedDeserializer<>(new KafkaAvroDeserializer(client),
                Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER, false));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<GenericRecord> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<GenericRecord> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
