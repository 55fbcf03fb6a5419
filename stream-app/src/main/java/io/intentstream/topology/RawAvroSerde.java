package io.intentstream.topology;

import io.intentstream.bytes.ByteSink;
import io.intentstream.registry.serde.TrustedClasses;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Registry-free Avro binary for state stores (latest score / recommendation): a store's changelog
 * is private to the app, so it needs no registry subject, and state keeps working while the
 * registry is down. A leading format byte leaves room for a schema change.
 */
final class RawAvroSerde {
    private static final byte FORMAT_V1 = 1;

    private RawAvroSerde() {}

    /** Where the Avro body starts in a value this serde wrote; throws on another format. */
    static int bodyOffset(byte[] stored) {
        if (stored.length == 0 || stored[0] != FORMAT_V1) {
            throw new SerializationException("not a store value of format " + FORMAT_V1);
        }
        return 1;
    }

    /** A writer of {@code T}'s Avro binary body. */
    interface BodyWriter<T> {
        void write(T value, Encoder out) throws IOException;
    }

    static <T extends SpecificRecord> Serde<T> of(Class<T> type) {
        org.apache.avro.Schema schema = trustedSchema(type);
        return serde(type, schema, new SpecificDatumWriter<T>(schema)::write);
    }

    /** With a body writer of our own, which must write what Avro's writer would (see {@link IntentScoreWriter}). */
    static <T extends SpecificRecord> Serde<T> of(Class<T> type, BodyWriter<T> writer) {
        return serde(type, trustedSchema(type), writer);
    }

    /** Trusted first: Avro refuses to reflect on a generated class nothing has trusted yet. */
    private static org.apache.avro.Schema trustedSchema(Class<?> type) {
        TrustedClasses.trustGeneratedClass(type);
        return SpecificData.get().getSchema(type);
    }

    private static <T extends SpecificRecord> Serde<T> serde(Class<T> type, org.apache.avro.Schema schema,
                                                             BodyWriter<T> writer) {
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(schema);
        return Serdes.serdeFrom((topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                // The direct encoder writes byte by byte: into a lock-free sink, not a ByteArrayOutputStream.
                ByteSink out = new ByteSink(512);
                out.write(FORMAT_V1);
                BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
                writer.write(value, enc);
                enc.flush();
                return out.toByteArray();
            } catch (IOException e) {
                throw new SerializationException("cannot encode " + type.getSimpleName(), e);
            }
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length == 0 || bytes[0] != FORMAT_V1) {
                throw new SerializationException("unknown " + type.getSimpleName() + " store format");
            }
            try {
                BinaryDecoder dec = DecoderFactory.get().binaryDecoder(bytes, 1, bytes.length - 1, null);
                return reader.read(null, dec);
            } catch (IOException e) {
                throw new SerializationException("cannot decode " + type.getSimpleName(), e);
            }
        });
    }
}
