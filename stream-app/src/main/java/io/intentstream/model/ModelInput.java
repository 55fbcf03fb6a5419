package io.intentstream.model;

/**
 * One user's stored events mapped to model steps (length ≤ max_seq_len), oldest first. Step i is
 * the i-th event of the window, which is how attention weights are attributed back to event ids.
 * Times and prices feed the {@link Aggregates}.
 */
public record ModelInput(long[] actionIds, long[] itemIds, long[] categoryIds, long[] gapBuckets, long[] timesMs,
                         float[] prices) {
    public int length() {
        return actionIds.length;
    }
}
