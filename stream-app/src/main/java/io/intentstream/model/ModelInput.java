package io.intentstream.model;

/**
 * One user's unpadded model input (length ≤ max_seq_len). Step i is the i-th event of the scored
 * window, which is how attention weights are attributed back to event ids.
 */
public record ModelInput(long[] actionIds, long[] itemIds, long[] categoryIds, long[] gapBuckets) {
    public int length() {
        return actionIds.length;
    }
}
