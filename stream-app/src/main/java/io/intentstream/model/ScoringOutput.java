package io.intentstream.model;

import java.util.Arrays;

/**
 * Outputs of one prefill or step call as flat row-major arrays, copied out of native memory so the
 * native results can be closed at once. The caches are {@code [layers, batch, per-layer floats]};
 * {@code hidden} is {@code [batch, hiddenWidth]}, the input of a recommend call.
 */
public record ScoringOutput(int batch, int window, int nextActionCount, float[] nextActionProbs, float[] purchaseProb,
                            float[] attention, int hiddenWidth, float[] hidden, int layers, int layerFloats,
                            float[] cacheK, float[] cacheV, String modelVersion) {
    public float nextAction(int row, int col) {
        return nextActionProbs[row * nextActionCount + col];
    }

    /** Attention of the row's newest event on window slot {@code slot} (slot window-1 = itself). */
    public float attention(int row, int slot) {
        return attention[row * window + slot];
    }

    /** The row's hidden state, for a recommend call. */
    public float[] hidden(int row) {
        return Arrays.copyOfRange(hidden, row * hiddenWidth, (row + 1) * hiddenWidth);
    }

    /** The row's K cache as {@code [layers, per-layer floats]}, ready to feed its next step. */
    public float[] cacheK(int row) {
        return userCache(cacheK, row);
    }

    public float[] cacheV(int row) {
        return userCache(cacheV, row);
    }

    /**
     * Copies the row's K and V caches into {@code k} and {@code v} (each {@code layers * layerFloats}
     * long), so a warm user's arrays are reused step after step instead of reallocated.
     */
    public void copyCache(int row, float[] k, float[] v) {
        copy(cacheK, row, k);
        copy(cacheV, row, v);
    }

    private float[] userCache(float[] all, int row) {
        return copy(all, row, new float[layers * layerFloats]);
    }

    private float[] copy(float[] all, int row, float[] out) {
        for (int l = 0; l < layers; l++) {
            System.arraycopy(all, (l * batch + row) * layerFloats, out, l * layerFloats, layerFloats);
        }
        return out;
    }
}
