package io.intentstream.model;

import java.util.List;

/**
 * Flat, validated input arrays for one prefill or step call. Ids outside the vocabularies map to
 * OOV (a hot-swapped sidecar may be smaller); an action or gap bucket out of range is a bug and
 * throws. Prefill rows are LEFT-padded to the batch's longest row rounded up to {@code padMultiple}
 * (capped at max_seq_len), which bounds the number of distinct shapes ORT sees.
 */
final class StepInputs {
    record Prefill(int batch, int seq, long[] actions, long[] items, long[] categories, long[] gaps, float[] aggregates) {}

    record Step(int batch, float[] cacheK, float[] cacheV, long[] historyLen, long[] gap, float[] aggregates,
                long[] actions, long[] items, long[] categories) {}

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
            IntentModel.require(n >= 1 && n <= sidecar.maxSeqLen(), "prefill row of " + n + " steps outside 1.." + sidecar.maxSeqLen());
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

    Step step(List<StepRow> rows) {
        ModelSidecar.Streaming st = sidecar.streaming();
        int b = rows.size();
        int per = st.layerFloats();
        int window = st.receptiveField();
        float[] k = new float[st.layers() * b * per];
        float[] v = new float[k.length];
        long[] hist = new long[b];
        long[] gap = new long[b];
        float[] agg = new float[b * Aggregates.COUNT];
        long[] a = new long[b * window];
        long[] it = new long[b * window];
        long[] c = new long[b * window];
        for (int r = 0; r < b; r++) {
            StepRow row = rows.get(r);
            IntentModel.require(row.cacheK().length == st.cacheFloats() && row.cacheV().length == st.cacheFloats(),
                    "a cache of " + row.cacheK().length + " floats, this model's hold " + st.cacheFloats());
            for (int l = 0; l < st.layers(); l++) {
                System.arraycopy(row.cacheK(), l * per, k, (l * b + r) * per, per);
                System.arraycopy(row.cacheV(), l * per, v, (l * b + r) * per, per);
            }
            hist[r] = row.historyLen();
            gap[r] = checked(row.gapBucket(), gapCount, "gap bucket");
            copyAggregates(row.aggregates(), agg, r);
            int n = row.windowActions().length;
            IntentModel.require(n >= 1 && n <= window, "step window of " + n + " steps outside 1.." + window);
            for (int i = 0; i < n; i++) {
                int at = r * window + window - n + i;
                a[at] = checked(row.windowActions()[i], actionCount, "action id");
                it[at] = inRange(row.windowItems()[i], itemCount, sidecar.items().oovId());
                c[at] = inRange(row.windowCategories()[i], categoryCount, sidecar.categories().oovId());
            }
        }
        return new Step(b, k, v, hist, gap, agg, a, it, c);
    }

    private static void copyAggregates(float[] from, float[] to, int row) {
        IntentModel.require(from.length == Aggregates.COUNT, "aggregates of " + from.length + " values, expected " + Aggregates.COUNT);
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
