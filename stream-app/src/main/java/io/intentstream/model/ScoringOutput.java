package io.intentstream.model;

/**
 * Model outputs for one batch as flat row-major arrays (copied out of native memory so the native
 * results can be closed at once).
 */
public record ScoringOutput(int batch, int seq, int topK, int nextActionCount, float[] nextActionProbs,
                            float[] purchaseProb, float[] topkScores, long[] topkItemIds, float[] attention,
                            String modelVersion) {
    public float nextAction(int row, int col) {
        return nextActionProbs[row * nextActionCount + col];
    }

    public float topkScore(int row, int k) {
        return topkScores[row * topK + k];
    }

    public long topkItem(int row, int k) {
        return topkItemIds[row * topK + k];
    }

    public float attention(int row, int pos) {
        return attention[row * seq + pos];
    }
}
