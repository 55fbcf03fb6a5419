package io.intentstream.sequence;

import java.util.Arrays;

/**
 * A growable byte array written front to back, with LEB128 varints (zig-zag for signed values,
 * so small counts and time deltas take 1-2 bytes). Not thread-safe, on purpose: a
 * {@code DataOutputStream} over a {@code ByteArrayOutputStream} takes a lock for every byte, and
 * the codec writes thousands per sequence on the hot path. Multi-byte values are big-endian,
 * as {@code DataOutput} wrote them, so stored state keeps reading back.
 */
final class ByteSink {
    private byte[] buf;
    private int size;

    ByteSink(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void write(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    void writeUnsigned(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buf[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buf[size++] = (byte) value;
    }

    void writeSigned(long value) {
        writeUnsigned((value << 1) ^ (value >> 63));
    }

    void writeFloat(float f) {
        int bits = Float.floatToIntBits(f);
        ensure(4);
        buf[size++] = (byte) (bits >>> 24);
        buf[size++] = (byte) (bits >>> 16);
        buf[size++] = (byte) (bits >>> 8);
        buf[size++] = (byte) bits;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
