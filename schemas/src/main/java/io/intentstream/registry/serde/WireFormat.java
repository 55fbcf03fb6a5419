package io.intentstream.registry.serde;

/**
 * Confluent's framing: magic byte 0, the schema id as a 4-byte big-endian int, then the Avro
 * binary encoding of the value (no container-file header).
 */
final class WireFormat {
    static final byte MAGIC_BYTE = 0;
    static final int HEADER_SIZE = 5;

    private WireFormat() {}

    static void writeHeader(java.io.ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    /** The header, then {@code length} bytes of an Avro body from {@code offset}, in one array. */
    static byte[] frame(int schemaId, byte[] body, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, body.length);
        byte[] framed = new byte[HEADER_SIZE + length];
        framed[0] = MAGIC_BYTE;
        java.nio.ByteBuffer.wrap(framed, 1, 4).putInt(schemaId);
        System.arraycopy(body, offset, framed, HEADER_SIZE, length);
        return framed;
    }

    static int readSchemaId(byte[] bytes) {
        return ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
    }
}
