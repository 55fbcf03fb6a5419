package io.intentstream.registry.serde;

import io.intentstream.registry.RegistryException;
import io.intentstream.registry.SchemaRegistryClient;
import io.intentstream.registry.SchemaRegistryClients;
import io.intentstream.registry.UnknownSchemaIdException;
import io.intentstream.registry.serde.AvroDeserializationException.Reason;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-framed Avro. The writer schema comes from the registry by the id in the header;
 * the reader schema is the generated class's (with a reader class or {@code specific.avro.reader}),
 * else the writer's own (or the subject's latest with {@code use.latest.version}). Avro's schema
 * resolution bridges the two, so old data reads into new classes.
 *
 * <p>Every failure caused by the bytes or the registry is an {@link AvroDeserializationException}
 * with a {@link Reason}; null bytes (a tombstone) give null.
 */
public class KafkaAvroDeserializer implements Deserializer<Object> {
    /** Readers are cached per writer id and reader identity (class or reader schema). */
    private record ReaderKey(int writerId, Object reader) {}

    private SchemaRegistryClient client;
    private final Class<? extends SpecificRecord> readerClass;
    private AvroSerdeConfig config;
    private boolean isKey;
    private final Map<ReaderKey, DatumReader<Object>> readers = new ConcurrentHashMap<>();

    /** For Kafka's reflective construction; {@link #configure} creates the registry client. */
    public KafkaAvroDeserializer() {
        this(null, null);
    }

    public KafkaAvroDeserializer(SchemaRegistryClient client) {
        this(client, null);
    }

    /** Always reads into {@code readerClass} (resolving from whatever writer schema the data has). */
    public KafkaAvroDeserializer(SchemaRegistryClient client, Class<? extends SpecificRecord> readerClass) {
        this.client = client;
        this.readerClass = readerClass;
    }

    public KafkaAvroDeserializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this(client, null);
        configure(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = AvroSerdeConfig.from(configs);
        this.isKey = isKey;
        if (client == null) {
            client = SchemaRegistryClients.create(configs);
        }
    }

    @Override
    public Object deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (config == null) {
            throw new IllegalStateException("KafkaAvroDeserializer used before configure()");
        }
        if (bytes.length > 0 && bytes[0] != WireFormat.MAGIC_BYTE) {
            throw new AvroDeserializationException(topic, Reason.UNKNOWN_MAGIC_BYTE, null,
                    String.format("first byte is 0x%02x, expected 0x00", bytes[0] & 0xff), null);
        }
        if (bytes.length < WireFormat.HEADER_SIZE) {
            throw new AvroDeserializationException(topic, Reason.TRUNCATED, null,
                    bytes.length + " bytes, shorter than the 5-byte header", null);
        }
        int id = WireFormat.readSchemaId(bytes);
        Schema writer;
        try {
            writer = client.getSchemaById(id);
        } catch (UnknownSchemaIdException e) {
            throw new AvroDeserializationException(topic, Reason.UNKNOWN_SCHEMA_ID, id, e.getMessage(), e);
        } catch (RegistryException e) {
            // Unreachable, 5xx, or refused (e.g. 401): none is the record's fault, so not MALFORMED.
            throw new AvroDeserializationException(topic, Reason.REGISTRY_UNAVAILABLE, id, e.getMessage(), e);
        }
        DatumReader<Object> reader = readerFor(topic, id, writer);
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE, null);
        Object value;
        try {
            value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new AvroDeserializationException(topic, Reason.MALFORMED_AVRO, id,
                        "bytes left over after the value", null);
            }
        } catch (AvroDeserializationException e) {
            throw e;
        } catch (EOFException e) {
            throw new AvroDeserializationException(topic, Reason.TRUNCATED, id, "Avro body ends early", e);
        } catch (Exception | OutOfMemoryError e) {
            // Garbage can claim absurd lengths; Avro then fails with its own exceptions (or a big allocation).
            throw new AvroDeserializationException(topic, Reason.MALFORMED_AVRO, id, e.toString(), e);
        }
        return unwrapPrimitive(value);
    }

    private DatumReader<Object> readerFor(String topic, int writerId, Schema writer) {
        if (readerClass != null) {
            return readers.computeIfAbsent(new ReaderKey(writerId, readerClass), k -> specificReader(writer, readerClass));
        }
        if (config.specificAvroReader() && writer.getType() == Schema.Type.RECORD) {
            Class<?> generated = generatedClass(writer.getFullName());
            if (generated == null) {
                throw new SerializationException("specific.avro.reader=true but no generated class for "
                        + writer.getFullName() + " is on the classpath (topic '" + topic + "')");
            }
            return readers.computeIfAbsent(new ReaderKey(writerId, generated), k -> specificReader(writer, generated));
        }
        Schema readerSchema = writer;
        if (config.useLatestVersion()) {
            String subject = config.subjectNameStrategy(isKey).subjectName(topic, isKey, writer);
            try {
                readerSchema = client.getLatest(subject).schema();
            } catch (RegistryException e) {
                throw new AvroDeserializationException(topic, Reason.REGISTRY_UNAVAILABLE, writerId,
                        "cannot fetch latest schema of " + subject + ": " + e.getMessage(), e);
            }
        }
        Schema reader = readerSchema;
        GenericData model = config.useLogicalTypeConverters() ? LogicalTypes.genericWithConversions() : GenericData.get();
        return readers.computeIfAbsent(new ReaderKey(writerId, reader), k -> new GenericDatumReader<>(writer, reader, model));
    }

    /** The generated class of that name, loaded without initialising it, or null if there is none. */
    private static Class<?> generatedClass(String name) {
        try {
            Class<?> type = Class.forName(name, false, Thread.currentThread().getContextClassLoader() == null
                    ? KafkaAvroDeserializer.class.getClassLoader() : Thread.currentThread().getContextClassLoader());
            return SpecificRecord.class.isAssignableFrom(type) ? type : null;
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static DatumReader<Object> specificReader(Schema writer, Class<?> type) {
        TrustedClasses.trustGeneratedClass(type);
        // The class's own model (MODEL$) holds the BigDecimal/Instant conversions of its fields.
        SpecificData model = SpecificData.getForClass(type);
        return new SpecificDatumReader<>(writer, model.getSchema(type), model);
    }

    /** Top-level primitives come back as plain Java types, not Avro's Utf8/ByteBuffer. */
    private static Object unwrapPrimitive(Object value) {
        if (value instanceof Utf8 utf8) {
            return utf8.toString();
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
        return value;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
