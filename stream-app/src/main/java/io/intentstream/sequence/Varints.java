package io.intentstream.sequence;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** LEB128 varints with zig-zag for signed values: small numbers (counts, time deltas) take 1-2 bytes. */
final class Varints {
    private Varints() {}

    static void writeUnsigned(DataOutput out, long value) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    static long readUnsigned(DataInput in) throws IOException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IOException("varint longer than 10 bytes");
    }

    static void writeSigned(DataOutput out, long value) throws IOException {
        writeUnsigned(out, (value << 1) ^ (value >> 63));
    }

    static long readSigned(DataInput in) throws IOException {
        long raw = readUnsigned(in);
        return (raw >>> 1) ^ -(raw & 1);
    }

    static int readCount(DataInput in, int max) throws IOException {
        long n = readUnsigned(in);
        if (n < 0 || n > max) {
            throw new IOException("count " + n + " out of range [0, " + max + "]");
        }
        return (int) n;
    }
}
