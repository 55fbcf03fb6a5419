package io.intentstream.demo;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads registry-framed Avro ({@code 0x00, 4-byte schema id, binary}) with the reader's own
 * schema as writer schema. Only for the demo's read-only summary tap, whose producer is the same
 * build; consumers that must survive schema evolution use the registry deserializer.
 */
final class FramedAvro {
    private FramedAvro() {}

    static <T extends SpecificRecord> T decode(byte[] framed, Class<T> type) {
        if (framed == null || framed.length < 5 || framed[0] != 0) {
            return null;
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null);
            return new SpecificDatumReader<>(type).read(null, decoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
