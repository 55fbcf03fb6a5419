package io.intentstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class InputBuffersTest {

    @Test
    void aSlotIsOneDirectNativeOrderBufferReusedCallAfterCall() {
        InputBuffers buffers = InputBuffers.current();
        FloatBuffer first = buffers.copyOf(0, new float[] {1f, 2f, 3f, 4f});
        assertThat(first.isDirect()).isTrue();
        assertThat(first.order()).isEqualTo(ByteOrder.nativeOrder());
        assertThat(first.position()).isZero();
        assertThat(first.remaining()).isEqualTo(4);

        // The next call's input of slot 0 writes the same memory (no new buffer), sized to its own length.
        FloatBuffer next = buffers.copyOf(0, new float[] {9f, 8f});
        assertThat(next.remaining()).isEqualTo(2);
        assertThat(first.get(0)).isEqualTo(9f);
        assertThat(first.get(2)).isEqualTo(3f);

        // Another slot is other memory; longs share the slots' bytes the same way.
        LongBuffer longs = buffers.copyOf(1, new long[] {7L, -1L});
        assertThat(longs.isDirect()).isTrue();
        assertThat(longs.order()).isEqualTo(ByteOrder.nativeOrder());
        assertThat(longs.get(0)).isEqualTo(7L);
        assertThat(first.get(0)).isEqualTo(9f);
    }

    @Test
    void aSlotGrowsForALargerInputAndThreadsDoNotShare() throws Exception {
        InputBuffers buffers = InputBuffers.current();
        buffers.copyOf(2, new float[4]);
        float[] big = new float[100_000];
        big[99_999] = 5f;
        FloatBuffer grown = buffers.copyOf(2, big);
        assertThat(grown.remaining()).isEqualTo(100_000);
        assertThat(grown.get(99_999)).isEqualTo(5f);
        assertThat(InputBuffers.current()).isSameAs(buffers);
        assertThat(CompletableFuture.supplyAsync(InputBuffers::current).get()).isNotSameAs(buffers);
    }
}
