package io.intentstream.model;

/**
 * One warm user's step: the K/V cache of their previous W−1 events (as {@link ScoringOutput#cacheK}
 * returned it), the number of their events before the new one, and the new event's inputs: gap
 * bucket, aggregates and the newest receptive-field steps, the new one last (unpadded, ≤ R).
 */
public record StepRow(float[] cacheK, float[] cacheV, long historyLen, long gapBucket, float[] aggregates,
                      long[] windowActions, long[] windowItems, long[] windowCategories) {}
