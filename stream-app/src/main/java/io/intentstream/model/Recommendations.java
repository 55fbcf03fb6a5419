package io.intentstream.model;

/** Outputs of one recommend call: the top-K item ids (model ids) and probabilities per row, best first. */
public record Recommendations(int batch, int topK, float[] topkScores, long[] topkItemIds) {
    public float topkScore(int row, int k) {
        return topkScores[row * topK + k];
    }

    public long topkItem(int row, int k) {
        return topkItemIds[row * topK + k];
    }
}
