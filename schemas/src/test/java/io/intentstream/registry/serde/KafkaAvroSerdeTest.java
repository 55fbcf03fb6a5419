package io.intentstream.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentstream.events.BrowseEvent;
import io.intentstream.events.CartEvent;
import io.intentstream.events.PageType;
import io.intentstream.intent.IntentTrigger;
import io.intentstream.registry.ContractSamples;
import io.intentstream.registry.MockSchemaRegistry;
import io.intentstream.registry.RegistryException;
import io.intentstream.registry.SchemaRegistryClient;
import io.intentstream.schemas.Topics;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KafkaAvroSerdeTest {
    private final String scope = "serde-" + UUID.randomUUID();
    private final MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    private Map<String, Object> config(Object... extra) {
        Map<String, Object> config = new HashMap<>();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);
        for (int i = 0; i < extra.length; i += 2) {
            config.put((String) extra[i], extra[i + 1]);
        }
        return config;
    }

    private <T extends SpecificRecord> SpecificAvroSerde<T> specificSerde(Class<T> type, Object... extra) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(config(extra), false);
        return serde;
    }

    private KafkaAvroSerializer serializer(Object... extra) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(config(extra), false);
        return serializer;
    }

    private KafkaAvroDeserializer deserializer(Object... extra) {
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(config(extra), false);
        return deserializer;
    }

    @Test
    void everyContractRecordRoundTripsThroughSpecificSerdeIncludingDecimalsAndTimestamps() {
        for (ContractSamples.Sample sample : ContractSamples.all()) {
            @SuppressWarnings("unchecked")
            Class<SpecificRecord> type = (Class<SpecificRecord>) sample.value().getClass();
            try (SpecificAvroSerde<SpecificRecord> serde = specificSerde(type)) {
                byte[] bytes = serde.serializer().serialize(sample.topic(), sample.value());
                assertThat(serde.deserializer().deserialize(sample.topic(), bytes)).isEqualTo(sample.value());
            }
        }
        assertThat(registry.subjects()).containsExactlyInAnyOrder(
                Topics.BROWSE.name() + "-value", Topics.SEARCH.name() + "-value", Topics.CART.name() + "-value",
                Topics.SCORES.name() + "-value", Topics.RECOMMENDATIONS.name() + "-value", Topics.TRIGGERS.name() + "-value");
    }

    @Test
    void decimalsKeepTheirScaleAndLargeValues() {
        try (SpecificAvroSerde<IntentTrigger> serde = specificSerde(IntentTrigger.class)) {
            IntentTrigger trigger = ContractSamples.trigger();
            IntentTrigger back = serde.deserializer().deserialize(Topics.TRIGGERS.name(), serde.serializer().serialize(Topics.TRIGGERS.name(), trigger));
            assertThat(back.getCart().getTotalValue()).isEqualTo(new BigDecimal("299999999.97"));
            assertThat(back.getTriggeredAt()).isEqualTo(trigger.getTriggeredAt());
        }
    }

    @Test
    void writesMagicByteZeroThenTheBigEndianSchemaId() {
        byte[] bytes = serializer().serialize(Topics.BROWSE.name(), ContractSamples.browse());
        int id = registry.getId(Topics.BROWSE.name() + "-value", new Schema.Parser().parse(BrowseEvent.getClassSchema().toString()
                .replace(",\"avro.java.string\":\"String\"", "")));
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void registersTheContractFormOfGeneratedSchemasWithoutJavaOnlyProperties() {
        serializer().serialize(Topics.BROWSE.name(), ContractSamples.browse());
        assertThat(registry.getLatest(Topics.BROWSE.name() + "-value").schema().toString()).doesNotContain("avro.java.string");
    }

    @Test
    void genericRecordsRoundTripWithRawLogicalValuesByDefault() {
        Schema schema = new Schema.Parser().parse(BrowseEvent.getClassSchema().toString());
        GenericRecord record = new GenericData.Record(schema);
        record.put("event_id", "e");
        record.put("user_id", "u");
        record.put("session_id", "s");
        record.put("event_time", 1_700_000_000_000L);
        record.put("page_type", new GenericData.EnumSymbol(schema.getField("page_type").schema(), "HOME"));
        record.put("price", ByteBuffer.wrap(new BigDecimal("12.34").unscaledValue().toByteArray()));
        try (GenericAvroSerde serde = new GenericAvroSerde()) {
            serde.configure(config(), false);
            GenericRecord back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", record));
            assertThat(back.get("user_id").toString()).isEqualTo("u");
            assertThat(back.get("event_time")).isEqualTo(1_700_000_000_000L);
            assertThat(new BigDecimal(new java.math.BigInteger(((ByteBuffer) back.get("price")).array()), 2))
                    .isEqualTo(new BigDecimal("12.34"));
            assertThat(back.get("channel")).isNull();
        }
    }

    @Test
    void genericReaderWithLogicalTypeConvertersGivesBigDecimalAndInstant() {
        byte[] bytes = serializer().serialize(Topics.BROWSE.name(), ContractSamples.browse());
        GenericRecord back = (GenericRecord) deserializer(AvroSerdeConfig.USE_LOGICAL_TYPE_CONVERTERS, true).deserialize(Topics.BROWSE.name(), bytes);
        assertThat(back.get("price")).isEqualTo(new BigDecimal("1299.99"));
        assertThat(back.get("event_time")).isEqualTo(ContractSamples.browse().getEventTime());
    }

    @Test
    void specificAvroReaderFindsTheGeneratedClassFromTheWriterSchema() {
        byte[] bytes = serializer().serialize(Topics.CART.name(), ContractSamples.cart());
        Object back = deserializer(AvroSerdeConfig.SPECIFIC_AVRO_READER, true).deserialize(Topics.CART.name(), bytes);
        assertThat(back).isInstanceOf(CartEvent.class).isEqualTo(ContractSamples.cart());
    }

    @Test
    void nullValuesAreTombstonesBothWays() {
        try (SpecificAvroSerde<BrowseEvent> serde = specificSerde(BrowseEvent.class)) {
            assertThat(serde.serializer().serialize(Topics.BROWSE.name(), null)).isNull();
            assertThat(serde.deserializer().deserialize(Topics.BROWSE.name(), null)).isNull();
        }
        assertThat(registry.subjects()).isEmpty();
    }

    @Test
    void primitiveKeysRoundTrip() {
        KafkaAvroSerializer keys = new KafkaAvroSerializer();
        keys.configure(config(), true);
        KafkaAvroDeserializer keyReader = new KafkaAvroDeserializer();
        keyReader.configure(config(), true);
        assertThat(keyReader.deserialize("t", keys.serialize("t", "u-42"))).isEqualTo("u-42");
        assertThat(keyReader.deserialize("n", keys.serialize("n", 42L))).isEqualTo(42L);
        assertThat(keyReader.deserialize("b", keys.serialize("b", new byte[] {1, 2}))).isEqualTo(new byte[] {1, 2});
        assertThat(registry.subjects()).containsExactlyInAnyOrder("t-key", "n-key", "b-key");
    }

    @Test
    void autoRegisterFalseFailsForAnUnregisteredSchemaAndRegistersNothing() {
        KafkaAvroSerializer serializer = serializer(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);
        assertThatThrownBy(() -> serializer.serialize(Topics.BROWSE.name(), ContractSamples.browse()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(Topics.BROWSE.name() + "-value")
                .hasCauseInstanceOf(RegistryException.class);
        assertThat(registry.subjects()).isEmpty();
    }

    @Test
    void autoRegisterFalseUsesTheIdOfAnAlreadyRegisteredSchema() {
        int id = registry.register(Topics.BROWSE.name() + "-value", ContractSamples.browse().getSchema());
        registry.register(Topics.BROWSE.name() + "-value", RegistryForm.of(ContractSamples.browse().getSchema()));
        byte[] bytes = serializer(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false).serialize(Topics.BROWSE.name(), ContractSamples.browse());
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isNotEqualTo(id)
                .isEqualTo(registry.getId(Topics.BROWSE.name() + "-value", RegistryForm.of(ContractSamples.browse().getSchema())));
    }

    @Test
    void recordNameStrategyUsesTheFullyQualifiedRecordName() {
        serializer(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "io.confluent.kafka.serializers.subject.RecordNameStrategy")
                .serialize(Topics.BROWSE.name(), ContractSamples.browse());
        serializer(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, RecordNameStrategy.class)
                .serialize(Topics.SEARCH.name(), ContractSamples.search());
        assertThat(registry.subjects()).containsExactlyInAnyOrder("io.intentstream.events.BrowseEvent", "io.intentstream.events.SearchEvent");
    }

    /** The released v1 BrowseEvent without the optional trailing fields: an "old producer". */
    /** An old producer's browse event, in {@link #oldBrowseSchema()}. */
    private static GenericRecord oldBrowseRecord() {
        GenericRecord record = new GenericData.Record(oldBrowseSchema());
        record.put("event_id", "e");
        record.put("user_id", "u");
        record.put("session_id", "s");
        record.put("event_time", 5L);
        record.put("page_type", new GenericData.EnumSymbol(oldBrowseSchema().getField("page_type").schema(), "HOME"));
        return record;
    }

    private static Schema oldBrowseSchema() {
        return SchemaBuilder.record("BrowseEvent").namespace("io.intentstream.events").fields()
                .requiredString("event_id").requiredString("user_id").requiredString("session_id")
                .name("event_time").type(org.apache.avro.LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
                .name("page_type").type().enumeration("PageType").symbols("PRODUCT", "CATEGORY", "HOME", "OTHER").noDefault()
                .endRecord();
    }

    @Test
    void newReaderReadsDataFromAnOldWriterFillingDefaults() {
        Schema old = oldBrowseSchema();
        GenericRecord record = new GenericData.Record(old);
        record.put("event_id", "e-old");
        record.put("user_id", "u");
        record.put("session_id", "s");
        record.put("event_time", 1_700_000_000_000L);
        record.put("page_type", new GenericData.EnumSymbol(old.getField("page_type").schema(), "CATEGORY"));
        byte[] bytes = serializer().serialize(Topics.BROWSE.name(), record);

        try (SpecificAvroSerde<BrowseEvent> serde = specificSerde(BrowseEvent.class)) {
            BrowseEvent event = serde.deserializer().deserialize(Topics.BROWSE.name(), bytes);
            assertThat(event.getEventId()).isEqualTo("e-old");
            assertThat(event.getPageType()).isEqualTo(PageType.CATEGORY);
            assertThat(event.getPrice()).isNull();
            assertThat(event.getChannel()).isNull();
            assertThat(event.getEventTime().toEpochMilli()).isEqualTo(1_700_000_000_000L);
        }
    }

    @Test
    void useLatestVersionWritesWithTheLatestRegisteredIdAndSchema() {
        String subject = Topics.BROWSE.name() + "-value";
        registry.register(subject, oldBrowseSchema());
        int latestId = registry.register(subject, RegistryForm.of(BrowseEvent.getClassSchema()));
        // An old producer's record, written with use.latest.version: bytes carry the latest id and schema.
        GenericRecord record = oldBrowseRecord();
        byte[] bytes = serializer(AvroSerdeConfig.USE_LATEST_VERSION, true, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false)
                .serialize(Topics.BROWSE.name(), record);

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latestId);
        GenericRecord back = (GenericRecord) deserializer().deserialize(Topics.BROWSE.name(), bytes);
        assertThat(back.getSchema().getField("channel")).isNotNull();
        assertThat(back.get("event_id").toString()).isEqualTo("e");
        assertThat(registry.versions(subject)).containsExactly(1, 2);
    }

    @Test
    void useLatestVersionWithTheSameSchemaRegistersNothingNew() {
        String subject = Topics.CART.name() + "-value";
        int id = registry.register(subject, RegistryForm.of(CartEvent.getClassSchema()));
        byte[] bytes = serializer(AvroSerdeConfig.USE_LATEST_VERSION, true, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false)
                .serialize(Topics.CART.name(), ContractSamples.cart());
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(registry.versions(subject)).containsExactly(1);
    }

    @Test
    void aRecordAlreadyEncodedIsFramedToTheSameBytesAsSerializeWrites() throws Exception {
        KafkaAvroSerializer serializer = serializer();
        for (ContractSamples.Sample sample : ContractSamples.all()) {
            SpecificRecord value = (SpecificRecord) sample.value();
            byte[] body = specificBody(value);
            byte[] padded = new byte[body.length + 3]; // the body may sit inside a larger store value
            System.arraycopy(body, 0, padded, 2, body.length);
            assertThat(serializer.serializeEncoded(sample.topic(), value, padded, 2, body.length))
                    .isEqualTo(serializer.serialize(sample.topic(), value));
        }
        assertThat(serializer.serializeEncoded("t", null, new byte[0], 0, 0)).isNull();
        assertThatThrownBy(() -> serializer.serializeEncoded(Topics.SCORES.name(), ContractSamples.score(), new byte[4], 2, 3))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void anEncodedRecordIsReEncodedWhenTheLatestSchemaDiffers() throws Exception {
        String subject = Topics.BROWSE.name() + "-value";
        registry.register(subject, oldBrowseSchema());
        int latestId = registry.register(subject, RegistryForm.of(BrowseEvent.getClassSchema()));
        GenericRecord record = oldBrowseRecord();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        org.apache.avro.io.BinaryEncoder enc = org.apache.avro.io.EncoderFactory.get().binaryEncoder(body, null);
        new org.apache.avro.generic.GenericDatumWriter<GenericRecord>(oldBrowseSchema()).write(record, enc);
        enc.flush();
        KafkaAvroSerializer latest = serializer(AvroSerdeConfig.USE_LATEST_VERSION, true, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);

        byte[] bytes = latest.serializeEncoded(Topics.BROWSE.name(), record, body.toByteArray(), 0, body.size());

        assertThat(bytes).isEqualTo(latest.serialize(Topics.BROWSE.name(), record));
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latestId);
        assertThat(bytes.length).isNotEqualTo(5 + body.size()); // written with the latest schema, not framed as is
    }

    /** The Avro body as a registry-free store writes it (a specific writer of the record's own schema). */
    private static byte[] specificBody(SpecificRecord value) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        org.apache.avro.io.BinaryEncoder enc = org.apache.avro.io.EncoderFactory.get().directBinaryEncoder(out, null);
        new org.apache.avro.specific.SpecificDatumWriter<SpecificRecord>(value.getSchema()).write(value, enc);
        enc.flush();
        return out.toByteArray();
    }

    @Test
    void serializerWithAnExplicitClientNeedsNoUrl() {
        SchemaRegistryClient client = registry;
        KafkaAvroSerializer serializer = new KafkaAvroSerializer(client, Map.of(), false);
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer(client, Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        assertThat(deserializer.deserialize("t", serializer.serialize("t", ContractSamples.score()))).isEqualTo(ContractSamples.score());
    }
}
