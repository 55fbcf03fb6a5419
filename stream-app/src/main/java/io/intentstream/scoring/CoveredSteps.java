package io.intentstream.scoring;

import io.intentstream.model.ModelInput;

/**
 * What a K/V cache after step {@code end} of a window depends on: the model ids (action, item,
 * category, time-gap bucket) of steps {@code end-span+1..end}, where span is the receptive field
 * less one (layer l's K/V of an event reads (W-1)·l events before it). Kept as the ids themselves,
 * not a hash of them: checking a cache is then an exact comparison, no collision can serve a
 * stale cache, and it costs a few hundred int compares instead of hashing the span.
 */
public final class CoveredSteps {
    private static final int FIELDS = 4;

    private final int[] ids;

    private CoveredSteps(int[] ids) {
        this.ids = ids;
    }

    /** The steps a cache after step {@code end} of {@code x} covers. */
    public static CoveredSteps of(ModelInput x, int end, int span) {
        int from = Math.max(0, end - span + 1);
        int[] ids = new int[FIELDS * (end - from + 1)];
        for (int i = from, j = 0; i <= end; i++, j += FIELDS) {
            ids[j] = Math.toIntExact(x.actionIds()[i]);
            ids[j + 1] = Math.toIntExact(x.itemIds()[i]);
            ids[j + 2] = Math.toIntExact(x.categoryIds()[i]);
            ids[j + 3] = Math.toIntExact(x.gapBuckets()[i]);
        }
        return new CoveredSteps(ids);
    }

    /** Whether these are exactly the steps a cache after step {@code end} of {@code x} would cover. */
    boolean matches(ModelInput x, int end, int span) {
        int from = Math.max(0, end - span + 1);
        if (ids.length != FIELDS * (end - from + 1)) {
            return false; // positions are relative: the same ids over a different span are another context
        }
        for (int i = from, j = 0; i <= end; i++, j += FIELDS) {
            if (ids[j] != x.actionIds()[i] || ids[j + 1] != x.itemIds()[i] || ids[j + 2] != x.categoryIds()[i]
                    || ids[j + 3] != x.gapBuckets()[i]) {
                return false;
            }
        }
        return true;
    }

    long bytes() {
        return (long) Integer.BYTES * ids.length + 16;
    }
}
