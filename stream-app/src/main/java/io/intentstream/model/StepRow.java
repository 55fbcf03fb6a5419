package io.intentstream.model;

/**
 * One warm user's step: the K/V cache of their previous W−1 events (as {@link ScoringOutput#cacheK}
 * returned it), the number of their events before the new one, and the new event's ids, gap bucket
 * and aggregates.
 */
public record StepRow(float[] cacheK, float[] cacheV, long historyLen, long action, long item, long category,
                      long gapBucket, float[] aggregates) {}
