package io.intentstream.bytes;

import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link ByteSink} wrote, straight from the array (no stream, no lock, no copy per
 * string). Reading past the end or a malformed varint throws {@link IllegalArgumentException},
 * which the codec reports as corrupt state.
 */
public final class ByteSource {
    private final byte[] buf;
    private int pos;

    public ByteSource(byte[] buf) {
        this.buf = buf;
    }

    public int remaining() {
        return buf.length - pos;
    }

    private void need(int n) {
        if (n < 0 || n > buf.length - pos) {
            throw new IllegalArgumentException("truncated: " + n + " more bytes needed at offset " + pos
                    + " of " + buf.length);
        }
    }

    public int readByte() {
        need(1);
        return buf[pos++];
    }

    public int readUnsignedByte() {
        return readByte() & 0xFF;
    }

    public long readUnsigned() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readUnsignedByte();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("varint longer than 10 bytes");
    }

    public long readSigned() {
        long raw = readUnsigned();
        return (raw >>> 1) ^ -(raw & 1);
    }

    public int readCount(int max) {
        long n = readUnsigned();
        if (n < 0 || n > max) {
            throw new IllegalArgumentException("count " + n + " out of range [0, " + max + "]");
        }
        return (int) n;
    }

    public float readFloat() {
        need(4);
        int bits = (buf[pos] & 0xFF) << 24 | (buf[pos + 1] & 0xFF) << 16 | (buf[pos + 2] & 0xFF) << 8 | buf[pos + 3] & 0xFF;
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    public long readFixed64() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (buf[pos + i] & 0xFF);
        }
        pos += 8;
        return v;
    }

    /** Skips a big-endian double (a field older formats carried and this release ignores). */
    public void skipDouble() {
        need(8);
        pos += 8;
    }

    public byte[] readBytes(int n) {
        need(n);
        byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    public String readUtf8(int n) {
        need(n);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }
}
