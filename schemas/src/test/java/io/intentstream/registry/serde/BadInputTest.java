package io.intentstream.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.intentstream.events.BrowseEvent;
import io.intentstream.registry.ContractSamples;
import io.intentstream.registry.MockSchemaRegistry;
import io.intentstream.registry.serde.AvroDeserializationException.Reason;
import io.intentstream.schemas.Topics;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bytes the stream app must send to the dead-letter topic, each with the reason it counts. */
class BadInputTest {
    private final String scope = "bad-" + UUID.randomUUID();
    private final SpecificAvroSerde<BrowseEvent> serde = new SpecificAvroSerde<>(BrowseEvent.class);
    private final byte[] valid;

    BadInputTest() {
        serde.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope), false);
        valid = serde.serializer().serialize(Topics.BROWSE.name(), ContractSamples.browse());
    }

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    private AvroDeserializationException failure(byte[] bytes) {
        return catchThrowableOfType(AvroDeserializationException.class,
                () -> serde.deserializer().deserialize(Topics.BROWSE.name(), bytes));
    }

    private int validId() {
        return ByteBuffer.wrap(valid, 1, 4).getInt();
    }

    @Test
    void aWrongMagicByteIsUnknownMagicByte() {
        byte[] bytes = valid.clone();
        bytes[0] = 1;
        AvroDeserializationException e = failure(bytes);
        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_MAGIC_BYTE);
        assertThat(e).isInstanceOf(SerializationException.class)
                .hasMessageContaining(Topics.BROWSE.name()).hasMessageContaining("UNKNOWN_MAGIC_BYTE");
        assertThat(e.schemaId()).isNull();
    }

    @Test
    void plainTextIsUnknownMagicByte() {
        assertThat(failure("{\"user_id\":\"u\"}".getBytes()).reason()).isEqualTo(Reason.UNKNOWN_MAGIC_BYTE);
    }

    @Test
    void aHeaderShorterThanFiveBytesIsTruncated() {
        assertThat(failure(new byte[] {0, 0, 1}).reason()).isEqualTo(Reason.TRUNCATED);
        assertThat(failure(new byte[0]).reason()).isEqualTo(Reason.TRUNCATED);
    }

    @Test
    void aBodyCutShortIsTruncatedAndNamesTheSchemaId() {
        AvroDeserializationException e = failure(Arrays.copyOf(valid, valid.length - 3));
        assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
        assertThat(e.schemaId()).isEqualTo(validId());
        assertThat(e).hasMessageContaining("schema id " + validId()).hasMessageContaining(Topics.BROWSE.name());
    }

    @Test
    void anIdTheRegistryDoesNotKnowIsUnknownSchemaId() {
        byte[] bytes = valid.clone();
        ByteBuffer.wrap(bytes, 1, 4).putInt(987_654);
        AvroDeserializationException e = failure(bytes);
        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA_ID);
        assertThat(e.schemaId()).isEqualTo(987_654);
        assertThat(e).hasMessageContaining("987654");
    }

    @Test
    void garbageAfterAValidHeaderIsMalformedAvro() {
        // 0x01 is the zig-zag varint -1: a negative string length for the first field.
        byte[] bytes = Arrays.copyOf(valid, 5 + 8);
        Arrays.fill(bytes, 5, bytes.length, (byte) 0x01);
        AvroDeserializationException e = failure(bytes);
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED_AVRO);
        assertThat(e.schemaId()).isEqualTo(validId());
    }

    @Test
    void trailingBytesAfterTheValueAreMalformedAvro() {
        byte[] bytes = Arrays.copyOf(valid, valid.length + 2);
        assertThat(failure(bytes).reason()).isEqualTo(Reason.MALFORMED_AVRO);
    }

    @Test
    void anUnreachableRegistryIsRegistryUnavailable() {
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1",
                "intentstream.registry.retries", 0), false);
        AvroDeserializationException e = catchThrowableOfType(AvroDeserializationException.class,
                () -> deserializer.deserialize(Topics.BROWSE.name(), valid));
        assertThat(e.reason()).isEqualTo(Reason.REGISTRY_UNAVAILABLE);
    }
}
