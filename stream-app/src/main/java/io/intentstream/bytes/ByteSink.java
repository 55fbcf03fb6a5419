package io.intentstream.bytes;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * A growable byte array written front to back, with LEB128 varints (zig-zag for signed values,
 * so small counts and time deltas take 1-2 bytes). Not thread-safe, on purpose: a
 * {@code ByteArrayOutputStream} takes a lock for every write, and the store codecs (and Avro's
 * direct encoder, which writes byte by byte) write thousands per event on the hot path. Also an
 * {@link OutputStream} for those encoders. Multi-byte values are big-endian, as {@code DataOutput}
 * wrote them, so stored state keeps reading back. Not Kafka's {@code ByteBufferOutputStream} and
 * {@code ByteUtils}: that package is internal to the Kafka clients (no compatibility promise),
 * and its unsigned-varlong reader, which the format's counts and lengths need, is not public.
 */
public final class ByteSink extends OutputStream {
    private byte[] buf;
    private int size;

    public ByteSink(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    public void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    @Override
    public void write(int b) {
        writeByte(b);
    }

    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    public void writeUnsigned(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buf[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buf[size++] = (byte) value;
    }

    public void writeSigned(long value) {
        writeUnsigned((value << 1) ^ (value >> 63));
    }

    /** Eight bytes, big-endian: for values with no small magnitude to gain from a varint (digests). */
    public void writeFixed64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
    }

    public void writeFloat(float f) {
        int bits = Float.floatToIntBits(f);
        ensure(4);
        buf[size++] = (byte) (bits >>> 24);
        buf[size++] = (byte) (bits >>> 16);
        buf[size++] = (byte) (bits >>> 8);
        buf[size++] = (byte) bits;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
