package io.intentstream.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.List;

/**
 * Reusable direct buffers for one batch of model inputs (one per thread): ONNX Runtime reads
 * direct buffers in place, so building a batch allocates nothing. Inputs are validated (ids in
 * range, length 1..L) and truncated to the newest L steps; the batch is right-padded to its longest
 * sequence rounded up to {@code padMultiple} (capped at L) to bound the number of distinct shapes.
 */
public final class InputBatch {
    final LongBuffer actions;
    final LongBuffer items;
    final LongBuffer categories;
    final LongBuffer gaps;
    final LongBuffer lengths;
    private final int capacityRows;
    private final int maxLen;
    int batch;
    int seq;

    public InputBatch(int capacityRows, int maxLen) {
        this.capacityRows = capacityRows;
        this.maxLen = maxLen;
        actions = direct(capacityRows * maxLen);
        items = direct(capacityRows * maxLen);
        categories = direct(capacityRows * maxLen);
        gaps = direct(capacityRows * maxLen);
        lengths = direct(capacityRows);
    }

    private static LongBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    public int capacityRows() {
        return capacityRows;
    }

    public int maxLen() {
        return maxLen;
    }

    public int batch() {
        return batch;
    }

    public int seq() {
        return seq;
    }

    /** Fills rows from inputs; each input must have at least one step. */
    public void fill(List<ModelInput> inputs, int padMultiple, ModelSidecar sidecar) {
        int b = inputs.size();
        if (b < 1 || b > capacityRows) {
            throw new IllegalArgumentException("batch of " + b + " outside 1.." + capacityRows);
        }
        int longest = 0;
        for (ModelInput in : inputs) {
            if (in.length() < 1) {
                throw new IllegalArgumentException("empty sequence cannot be scored");
            }
            longest = Math.max(longest, Math.min(in.length(), maxLen));
        }
        int s = Math.min(maxLen, ((longest + padMultiple - 1) / padMultiple) * padMultiple);
        fillShape(b, s);
        int actionCount = sidecar.actions().size();
        int itemCount = sidecar.items().size();
        int categoryCount = sidecar.categories().size();
        int gapCount = sidecar.gapBucketCount();
        for (int r = 0; r < b; r++) {
            ModelInput in = inputs.get(r);
            int from = Math.max(0, in.length() - maxLen);
            int n = in.length() - from;
            int base = r * s;
            for (int i = 0; i < n; i++) {
                actions.put(base + i, checked(in.actionIds()[from + i], 1, actionCount, "action id"));
                items.put(base + i, inRange(in.itemIds()[from + i], itemCount, sidecar.items().oovId()));
                categories.put(base + i, inRange(in.categoryIds()[from + i], categoryCount, sidecar.categories().oovId()));
                // A truncated window starts over: its first step is a "first event".
                long gap = i == 0 ? sidecar.gapFirstEventId() : in.gapBuckets()[from + i];
                gaps.put(base + i, checked(gap, 1, gapCount, "gap bucket"));
            }
            lengths.put(r, n);
        }
    }

    /** Exact, already padded rows (parity fixtures): the shape is taken as given. */
    public void fillPadded(long[][] a, long[][] it, long[][] c, long[][] g, long[] len) {
        int b = a.length;
        int s = a[0].length;
        if (b > capacityRows || s > maxLen) {
            throw new IllegalArgumentException("batch " + b + "x" + s + " exceeds " + capacityRows + "x" + maxLen);
        }
        fillShape(b, s);
        for (int r = 0; r < b; r++) {
            if (len[r] < 1 || len[r] > s) {
                throw new IllegalArgumentException("length " + len[r] + " outside 1.." + s);
            }
            for (int i = 0; i < s; i++) {
                actions.put(r * s + i, a[r][i]);
                items.put(r * s + i, it[r][i]);
                categories.put(r * s + i, c[r][i]);
                gaps.put(r * s + i, g[r][i]);
            }
            lengths.put(r, len[r]);
        }
    }

    /** Sets the shape and zeroes (pads) the used region. */
    void fillShape(int b, int s) {
        batch = b;
        seq = s;
        for (int i = 0; i < b * s; i++) {
            actions.put(i, 0);
            items.put(i, 0);
            categories.put(i, 0);
            gaps.put(i, 0);
        }
        for (int r = 0; r < b; r++) {
            lengths.put(r, 1);
        }
    }

    private static long checked(long v, int min, int bound, String what) {
        if (v < min || v >= bound) {
            throw new IllegalArgumentException(what + " " + v + " outside [" + min + ", " + bound + ")");
        }
        return v;
    }

    private static long inRange(long v, int bound, int oov) {
        return v >= 0 && v < bound ? v : oov;
    }

    /** A view of the first {@code n} longs, positioned for {@code OnnxTensor.createTensor}. */
    static LongBuffer view(LongBuffer buf, int n) {
        LongBuffer v = buf.duplicate();
        v.position(0).limit(n);
        return v;
    }
}
