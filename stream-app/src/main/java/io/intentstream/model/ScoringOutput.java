package io.intentstream.model;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Outputs of one prefill or step call: the small ones as flat row-major arrays, copied out of
 * native memory so the native results can be closed at once; the K/V caches
 * ({@code [layers, batch, per-layer floats]}) as views of the thread's reusable output buffers,
 * which ORT wrote in place and the thread's next model call overwrites, so they are read (copied
 * per row) before that: {@code cachesValid} says whether they still may be, and a late read through
 * {@link #cacheK}, {@link #cacheV} or {@link #copyCache} throws (the raw {@code nextK}/{@code nextV}
 * accessors do not check: read through those three).
 * {@code hidden} is {@code [batch, hiddenWidth]}, the input of a recommend call.
 */
public record ScoringOutput(int batch, int window, int nextActionCount, float[] nextActionProbs, float[] purchaseProb,
                            float[] attention, int hiddenWidth, float[] hidden, int layers, int layerFloats,
                            FloatBuffer nextK, FloatBuffer nextV, BooleanSupplier cachesValid, String modelVersion) {
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
        return userCache(nextK, row);
    }

    public float[] cacheV(int row) {
        return userCache(nextV, row);
    }

    /**
     * Copies the row's K and V caches into {@code k} and {@code v} (each {@code layers * layerFloats}
     * long), so a warm user's arrays are reused step after step instead of reallocated.
     */
    public void copyCache(int row, float[] k, float[] v) {
        copy(nextK, row, k);
        copy(nextV, row, v);
    }

    private float[] userCache(FloatBuffer all, int row) {
        return copy(all, row, new float[layers * layerFloats]);
    }

    private float[] copy(FloatBuffer all, int row, float[] out) {
        if (!cachesValid.getAsBoolean()) {
            throw new IllegalStateException("the caches of this call were overwritten by a later model call of the thread");
        }
        for (int l = 0; l < layers; l++) {
            all.get((l * batch + row) * layerFloats, out, l * layerFloats, layerFloats);
        }
        return out;
    }
}
