package io.intentstream.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * Direct buffers for one thread's ONNX Runtime inputs and pinned outputs, reused call after
 * call. ORT copies a heap buffer into a fresh direct one for every input of every call
 * ({@code allocateDirect}: zeroed, and its native memory comes back only after a later GC); a
 * direct buffer in native order is used in place. A slot is one input of a call: a call closes its tensors before the thread's
 * next call starts, so slots are shared by all calls and graphs of the thread. Each buffer grows
 * to the largest input seen in its slot (a K/V cache input at batch 256 is about 3 MB).
 *
 * <p>Outputs written into a slot (the K/V caches: ORT would otherwise copy each into a fresh heap
 * array, at batch 64 an object G1 allocates as humongous) stay valid until the thread's next
 * call begins: {@link #isCurrent} tells a reader whether they still are.
 */
final class InputBuffers {
    private static final ThreadLocal<InputBuffers> CURRENT = ThreadLocal.withInitial(InputBuffers::new);

    private ByteBuffer[] slots = new ByteBuffer[0];
    private long call;

    static InputBuffers current() {
        return CURRENT.get();
    }

    /** Starts a call on this thread: the previous call's outputs are stale from now on. */
    long beginCall() {
        return ++call;
    }

    /** True while {@code call} is this thread's newest call, i.e. its output slots are not reused yet. */
    boolean isCurrent(long call) {
        return this.call == call;
    }

    /** A view of {@code n} floats of the slot (position 0, limit n) for the caller to fill. */
    FloatBuffer floats(int slot, int n) {
        return bytes(slot, n * Float.BYTES).asFloatBuffer();
    }

    FloatBuffer copyOf(int slot, float[] data) {
        FloatBuffer b = floats(slot, data.length);
        b.put(0, data);
        return b;
    }

    LongBuffer copyOf(int slot, long[] data) {
        LongBuffer b = bytes(slot, data.length * Long.BYTES).asLongBuffer();
        b.put(0, data);
        return b;
    }

    private ByteBuffer bytes(int slot, int n) {
        if (slot >= slots.length) {
            slots = Arrays.copyOf(slots, slot + 1);
        }
        ByteBuffer b = slots[slot];
        if (b == null || b.capacity() < n) {
            b = ByteBuffer.allocateDirect(Math.max(n, b == null ? 0 : 2 * b.capacity())).order(ByteOrder.nativeOrder());
            slots[slot] = b;
        }
        // slice() forgets the byte order: ORT reads the memory in native order.
        return b.clear().limit(n).slice().order(ByteOrder.nativeOrder());
    }
}
