package io.intentstream.bytes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSinkTest {
    @Test
    void varintsAndFloatsRoundTripExtremes() {
        long[] longs = {0, 1, -1, 63, -64, 127, 128, Long.MAX_VALUE, Long.MIN_VALUE, 1_767_600_000_000L};
        float[] floats = {0f, -0f, 19.99f, Float.MAX_VALUE, Float.MIN_VALUE, Float.NaN};
        ByteSink sink = new ByteSink(1); // grows as it goes
        for (long v : longs) {
            sink.writeSigned(v);
            sink.writeUnsigned(v);
        }
        for (float f : floats) {
            sink.writeFloat(f);
        }
        ByteSource in = new ByteSource(sink.toByteArray());
        for (long v : longs) {
            assertThat(in.readSigned()).isEqualTo(v);
            assertThat(in.readUnsigned()).isEqualTo(v);
        }
        for (float f : floats) {
            assertThat(Float.floatToIntBits(in.readFloat())).isEqualTo(Float.floatToIntBits(f));
        }
        assertThat(in.remaining()).isZero();
        assertThatThrownBy(in::readByte).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        // Floats stay big-endian, as DataOutput wrote them before: stored state keeps reading back.
        ByteSink one = new ByteSink(4);
        one.writeFloat(19.99f);
        assertThat(one.toByteArray()).isEqualTo(java.nio.ByteBuffer.allocate(4).putFloat(19.99f).array());
        ByteSink small = new ByteSink(4);
        small.writeSigned(-1);
        small.writeSigned(300);
        assertThat(small.toByteArray()).containsExactly(0x01, 0xD8 - 256, 0x04);
    }

    @Test
    void isAnOutputStreamThatGrowsAndChecksBounds() throws Exception {
        ByteSink sink = new ByteSink(1);
        sink.write(7);
        sink.write(new byte[] {1, 2, 3, 4, 5}, 1, 3);
        sink.write("x".repeat(100).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] out = sink.toByteArray();
        assertThat(out).hasSize(104).startsWith(7, 2, 3, 4, 'x');
        assertThatThrownBy(() -> sink.write(new byte[2], 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        ByteSource in = new ByteSource(out);
        assertThat(in.readUnsignedByte()).isEqualTo(7);
        assertThat(in.readBytes(3)).containsExactly(2, 3, 4);
        assertThat(in.readUtf8(100)).isEqualTo("x".repeat(100));
        assertThatThrownBy(() -> in.readBytes(1)).isInstanceOf(IllegalArgumentException.class);
    }
}
