package io.intentstream.model;

/**
 * Outputs of one prefill or step call as flat row-major arrays, copied out of native memory so the
 * native results can be closed at once. The caches are {@code [layers, batch, per-layer floats]}.
 */
public record ScoringOutput(int batch, int window, int topK, int nextActionCount, float[] nextActionProbs,
                            float[] purchaseProb, float[] topkScores, long[] topkItemIds, float[] attention,
                            int layers, int layerFloats, float[] cacheK, float[] cacheV, String modelVersion) {
    public float nextAction(int row, int col) {
        return nextActionProbs[row * nextActionCount + col];
    }

    public float topkScore(int row, int k) {
        return topkScores[row * topK + k];
    }

    public long topkItem(int row, int k) {
        return topkItemIds[row * topK + k];
    }

    /** Attention of the row's newest event on window slot {@code slot} (slot window-1 = itself). */
    public float attention(int row, int slot) {
        return attention[row * window + slot];
    }

    /** The row's K cache as {@code [layers, per-layer floats]}, ready to feed its next step. */
    public float[] cacheK(int row) {
        return userCache(cacheK, row);
    }

    public float[] cacheV(int row) {
        return userCache(cacheV, row);
    }

    private float[] userCache(float[] all, int row) {
        float[] out = new float[layers * layerFloats];
        for (int l = 0; l < layers; l++) {
            System.arraycopy(all, (l * batch + row) * layerFloats, out, l * layerFloats, layerFloats);
        }
        return out;
    }
}
