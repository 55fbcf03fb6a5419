package io.intentstream.model;

/**
 * One user's unpadded model input (length ≤ max_seq_len), plus the source event index of each step
 * so attention weights can be attributed to event ids.
 */
public record ModelInput(long[] actionIds, long[] itemIds, long[] categoryIds, long[] gapBuckets) {
    public int length() {
        return actionIds.length;
    }
}
