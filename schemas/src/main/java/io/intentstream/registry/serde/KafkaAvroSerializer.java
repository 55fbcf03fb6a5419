package io.intentstream.registry.serde;

import io.intentstream.registry.RegisteredSchema;
import io.intentstream.registry.RegistryException;
import io.intentstream.registry.SchemaRegistryClient;
import io.intentstream.registry.SchemaRegistryClients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro values in Confluent's wire format ({@code 0, schema id, Avro binary}). Accepts
 * generated (specific) records, generic records and the Avro primitives (String, Integer, Long,
 * Float, Double, Boolean, byte[]); null stays null (a tombstone).
 *
 * <p>Schema ids are cached per (subject, schema), so steady-state writes make no registry call.
 */
public class KafkaAvroSerializer implements Serializer<Object> {
    private record SubjectSchema(String subject, Schema schema) {}

    private record WriterKey(Class<?> dataClass, Schema schema) {}

    /** Where a record goes: the id in the header and, with use.latest.version, a different writer schema. */
    private record Target(int id, Schema writerSchema) {}

    private record LatestSchema(int latestId, Schema schema) {}

    private record CachedLatest(RegisteredSchema latest, long fetchedAtNanos) {}

    private SchemaRegistryClient client;
    private AvroSerdeConfig config;
    private boolean isKey;
    private final Map<SubjectSchema, Target> targets = new ConcurrentHashMap<>();
    private final Map<LatestSchema, Target> latestTargets = new ConcurrentHashMap<>();
    private final Map<String, CachedLatest> latest = new ConcurrentHashMap<>();
    private final Map<WriterKey, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    /** For Kafka's reflective construction; {@link #configure} creates the registry client. */
    public KafkaAvroSerializer() {}

    /** Uses the given client instead of creating one from the config. */
    public KafkaAvroSerializer(SchemaRegistryClient client) {
        this.client = client;
    }

    public KafkaAvroSerializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this(client);
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
    public byte[] serialize(String topic, Object data) {
        if (data == null) {
            return null;
        }
        if (config == null) {
            throw new IllegalStateException("KafkaAvroSerializer used before configure()");
        }
        Schema schema = schemaOf(data);
        Target target = target(topic, schema);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64);
            WireFormat.writeHeader(out, target.id());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            Object datum = data instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : data;
            if (target.writerSchema() == schema) {
                writerFor(data.getClass(), schema).write(datum, encoder);
            } else {
                writeAs(datum, schema, target.writerSchema(), encoder);
            }
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot serialize " + schema.getFullName() + " for topic '" + topic + "': " + e, e);
        }
    }

    /**
     * Like {@link #serialize}, for a record whose Avro binary the caller already holds ({@code
     * length} bytes of {@code body} from {@code offset}, written with the record's own schema, e.g.
     * for a state store): when that schema is the subject's writer schema (the usual case) the
     * bytes are framed as they are, so the record is not encoded twice; otherwise (use.latest.version
     * with a different latest schema) {@code data} is serialized as {@link #serialize} would.
     */
    public byte[] serializeEncoded(String topic, IndexedRecord data, byte[] body, int offset, int length) {
        if (data == null) {
            return null;
        }
        if (config == null) {
            throw new IllegalStateException("KafkaAvroSerializer used before configure()");
        }
        Schema schema = data.getSchema();
        Target target = target(topic, schema);
        if (target.writerSchema() != schema) {
            return serialize(topic, data);
        }
        try {
            return WireFormat.frame(target.id(), body, offset, length);
        } catch (IndexOutOfBoundsException e) {
            throw new SerializationException("Encoded " + schema.getFullName() + " for topic '" + topic + "': " + e, e);
        }
    }

    private Target target(String topic, Schema schema) {
        String subject = config.subjectNameStrategy(isKey).subjectName(topic, isKey, schema);
        try {
            if (config.useLatestVersion()) {
                // The latest version may move on (see latest.cache.ttl.sec); the check per version is cached.
                RegisteredSchema current = latest(subject);
                return latestTargets.computeIfAbsent(new LatestSchema(current.id(), schema),
                        k -> targetIn(subject, current, schema));
            }
            return targets.computeIfAbsent(new SubjectSchema(subject, schema), k -> register(subject, schema));
        } catch (RegistryException e) {
            throw new SerializationException("Cannot get a schema id for subject '" + subject + "' (topic '" + topic
                    + "'): " + e.getMessage(), e);
        }
    }

    private Target register(String subject, Schema schema) {
        Schema registered = RegistryForm.of(schema);
        int id = config.autoRegisterSchemas() ? client.register(subject, registered) : client.getId(subject, registered);
        return new Target(id, schema);
    }

    private static Target targetIn(String subject, RegisteredSchema current, Schema schema) {
        if (current.schema().equals(RegistryForm.of(schema))) {
            return new Target(current.id(), schema);
        }
        // Like Confluent: write with the latest schema, which must be able to read our data.
        var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(current.schema(), schema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("Latest schema of subject '" + subject + "' (id " + current.id()
                    + ") cannot represent a " + schema.getFullName() + ": " + compatibility.getDescription());
        }
        return new Target(current.id(), current.schema());
    }

    private RegisteredSchema latest(String subject) {
        long ttlNanos = config.latestCacheTtlSeconds() < 0 ? Long.MAX_VALUE : config.latestCacheTtlSeconds() * 1_000_000_000L;
        CachedLatest cached = latest.get(subject);
        if (cached == null || System.nanoTime() - cached.fetchedAtNanos() > ttlNanos) {
            cached = new CachedLatest(client.getLatest(subject), System.nanoTime());
            latest.put(subject, cached);
        }
        return cached.latest();
    }

    /** Re-encodes through Avro schema resolution: our schema as writer, the target schema as reader. */
    private void writeAs(Object datum, Schema own, Schema target, BinaryEncoder encoder) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        BinaryEncoder ownEncoder = EncoderFactory.get().binaryEncoder(buffer, null);
        writerFor(datum.getClass(), own).write(datum, ownEncoder);
        ownEncoder.flush();
        Object converted = new GenericDatumReader<>(own, target)
                .read(null, DecoderFactory.get().binaryDecoder(buffer.toByteArray(), null));
        new GenericDatumWriter<>(target).write(converted, encoder);
    }

    @SuppressWarnings("unchecked")
    private DatumWriter<Object> writerFor(Class<?> dataClass, Schema schema) {
        return writers.computeIfAbsent(new WriterKey(dataClass, schema), key -> {
            if (SpecificRecord.class.isAssignableFrom(dataClass)) {
                // Generated classes carry their own model with the decimal/timestamp conversions.
                return new SpecificDatumWriter<>(schema, SpecificData.getForClass(dataClass));
            }
            return new GenericDatumWriter<>(schema, LogicalTypes.genericWithConversions());
        });
    }

    static Schema schemaOf(Object data) {
        if (data instanceof IndexedRecord record) {
            return record.getSchema();
        }
        Schema.Type type;
        if (data instanceof CharSequence) type = Schema.Type.STRING;
        else if (data instanceof Integer) type = Schema.Type.INT;
        else if (data instanceof Long) type = Schema.Type.LONG;
        else if (data instanceof Float) type = Schema.Type.FLOAT;
        else if (data instanceof Double) type = Schema.Type.DOUBLE;
        else if (data instanceof Boolean) type = Schema.Type.BOOLEAN;
        else if (data instanceof byte[] || data instanceof ByteBuffer) type = Schema.Type.BYTES;
        else throw new SerializationException("Unsupported type for Avro serialization: " + data.getClass().getName());
        return PRIMITIVES.computeIfAbsent(type, Schema::create);
    }

    private static final Map<Schema.Type, Schema> PRIMITIVES = new ConcurrentHashMap<>();

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
