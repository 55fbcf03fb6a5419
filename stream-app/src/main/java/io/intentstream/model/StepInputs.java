package io.intentstream.model;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * Flat, validated input arrays for one prefill or step call. Ids outside the vocabularies map to
 * OOV (a hot-swapped sidecar may be smaller); an action or gap bucket out of range is a bug and
 * throws. Prefill rows are LEFT-padded to the batch's longest row rounded up to {@code padMultiple}
 * (capped at max_seq_len), which bounds the number of distinct shapes ORT sees.
 */
final class StepInputs {
    record Prefill(int batch, int seq, long[] actions, long[] items, long[] categories, long[] gaps, float[] aggregates) {}

    /** A step's inputs but the caches, which {@link #step} writes into the caller's buffers. */
    record Step(int batch, long[] historyLen, long[] actions, long[] items, long[] categories, long[] gaps,
                float[] aggregates) {}

    record Recommend(int batch, float[] hidden, float[] aggregates, long[] actions, long[] items, long[] categories) {}

    private final ModelSidecar sidecar;
    private final int actionCount;
    private final int itemCount;
    private final int categoryCount;
    private final int gapCount;

    StepInputs(ModelSidecar sidecar) {
        this.sidecar = sidecar;
        actionCount = sidecar.actions().size();
        itemCount = sidecar.items().size();
        categoryCount = sidecar.categories().size();
        gapCount = sidecar.gapBucketCount();
    }

    Prefill prefill(List<PrefillRow> rows, int padMultiple) {
        int b = rows.size();
        int longest = 0;
        for (PrefillRow r : rows) {
            int n = r.input().length();
            if (n < 1 || n > sidecar.maxSeqLen()) {
                throw IntentModel.rejected("prefill row of " + n + " steps outside 1.." + sidecar.maxSeqLen());
            }
            longest = Math.max(longest, n);
        }
        int s = Math.min(sidecar.maxSeqLen(), ((longest + padMultiple - 1) / padMultiple) * padMultiple);
        long[] a = new long[b * s];
        long[] it = new long[b * s];
        long[] c = new long[b * s];
        long[] g = new long[b * s];
        float[] agg = new float[b * Aggregates.COUNT];
        for (int r = 0; r < b; r++) {
            ModelInput in = rows.get(r).input();
            int pad = s - in.length();
            for (int i = 0; i < in.length(); i++) {
                int at = r * s + pad + i;
                a[at] = checked(in.actionIds()[i], actionCount, "action id");
                it[at] = inRange(in.itemIds()[i], itemCount, sidecar.items().oovId());
                c[at] = inRange(in.categoryIds()[i], categoryCount, sidecar.categories().oovId());
                g[at] = checked(in.gapBuckets()[i], gapCount, "gap bucket");
            }
            copyAggregates(rows.get(r).aggregates(), agg, r);
        }
        return new Prefill(b, s, a, it, c, g, agg);
    }

    /** {@code k} and {@code v} take the rows' caches as {@code [layers, batch, per-layer floats]}. */
    Step step(List<StepRow> rows, FloatBuffer k, FloatBuffer v) {
        ModelSidecar.Streaming st = sidecar.streaming();
        int b = rows.size();
        int per = st.layerFloats();
        if (k.remaining() != st.layers() * b * per || v.remaining() != k.remaining()) {
            throw IntentModel.rejected("cache buffers of " + k.remaining() + " floats for " + b + " rows");
        }
        long[] hist = new long[b];
        long[] a = new long[b];
        long[] it = new long[b];
        long[] c = new long[b];
        long[] gap = new long[b];
        float[] agg = new float[b * Aggregates.COUNT];
        for (int r = 0; r < b; r++) {
            StepRow row = rows.get(r);
            if (row.cacheK().length != st.cacheFloats() || row.cacheV().length != st.cacheFloats()) {
                throw IntentModel.rejected("a cache of " + row.cacheK().length + " floats, this model's hold " + st.cacheFloats());
            }
            for (int l = 0; l < st.layers(); l++) {
                k.put((l * b + r) * per, row.cacheK(), l * per, per);
                v.put((l * b + r) * per, row.cacheV(), l * per, per);
            }
            hist[r] = row.historyLen();
            a[r] = checked(row.action(), actionCount, "action id");
            it[r] = inRange(row.item(), itemCount, sidecar.items().oovId());
            c[r] = inRange(row.category(), categoryCount, sidecar.categories().oovId());
            gap[r] = checked(row.gapBucket(), gapCount, "gap bucket");
            copyAggregates(row.aggregates(), agg, r);
        }
        return new Step(b, hist, a, it, c, gap, agg);
    }

    /** Hidden states and aggregates as they are; each window's newest R steps, LEFT-padded to R. */
    Recommend recommend(List<RecommendRow> rows) {
        ModelSidecar.Streaming st = sidecar.streaming();
        int b = rows.size();
        int d = st.hiddenWidth();
        int window = st.receptiveField();
        float[] h = new float[b * d];
        float[] agg = new float[b * Aggregates.COUNT];
        long[] a = new long[b * window];
        long[] it = new long[b * window];
        long[] c = new long[b * window];
        for (int r = 0; r < b; r++) {
            RecommendRow row = rows.get(r);
            if (row.hidden().length != d) {
                throw IntentModel.rejected("a hidden state of " + row.hidden().length + " floats, expected " + d);
            }
            System.arraycopy(row.hidden(), 0, h, r * d, d);
            copyAggregates(row.aggregates(), agg, r);
            ModelInput in = row.window();
            int n = Math.min(window, in.length());
            IntentModel.require(n >= 1, "an empty recommend window");
            for (int i = 0; i < n; i++) {
                int from = in.length() - n + i;
                int at = r * window + window - n + i;
                a[at] = checked(in.actionIds()[from], actionCount, "action id");
                it[at] = inRange(in.itemIds()[from], itemCount, sidecar.items().oovId());
                c[at] = inRange(in.categoryIds()[from], categoryCount, sidecar.categories().oovId());
            }
        }
        return new Recommend(b, h, agg, a, it, c);
    }

    private static void copyAggregates(float[] from, float[] to, int row) {
        if (from.length != Aggregates.COUNT) {
            throw IntentModel.rejected("aggregates of " + from.length + " values, expected " + Aggregates.COUNT);
        }
        System.arraycopy(from, 0, to, row * Aggregates.COUNT, Aggregates.COUNT);
    }

    private static long checked(long v, int bound, String what) {
        if (v < 1 || v >= bound) {
            throw new IllegalArgumentException(what + " " + v + " outside [1, " + bound + ")");
        }
        return v;
    }

    private static long inRange(long v, int bound, int oov) {
        return v >= 0 && v < bound ? v : oov;
    }
}
