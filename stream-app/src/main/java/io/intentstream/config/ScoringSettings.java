package io.intentstream.config;

/** When and in what batches dirty shoppers are scored ({@code scoring.*}). */
public record ScoringSettings(Mode mode, long intervalMs, int maxBatch, int padMultiple, long roundBudgetMs,
                              long cacheMaxBytes) {
    public static final String MODE = "scoring.mode";
    public static final String INTERVAL_MS = "scoring.interval.ms";
    public static final String MAX_BATCH = "scoring.max.batch";
    public static final String PAD_MULTIPLE = "scoring.pad.multiple";
    public static final String ROUND_BUDGET_MS = "scoring.round.budget.ms";
    /**
     * Memory for the instance's derived K/V caches (scoring.StepCache); a user beyond it is
     * prefilled. 0 = a quarter of the JVM's maximum heap.
     */
    public static final String CACHE_MAX_BYTES = "scoring.cache.max.bytes";

    /** batched: coalesced micro-batches per tick; per-event: one model call per event (for comparison). */
    public enum Mode { BATCHED, PER_EVENT }

    /** The K/V cache budget in bytes, with 0 resolved against the heap. */
    public long cacheBytes() {
        return cacheMaxBytes > 0 ? cacheMaxBytes : Runtime.getRuntime().maxMemory() / 4;
    }

    public boolean perEvent() {
        return mode == Mode.PER_EVENT;
    }

    static ScoringSettings read(SettingsReader r) {
        return new ScoringSettings(r.choice(MODE, Mode.class, k -> "batched or per-event"), r.positiveLong(INTERVAL_MS),
                r.positiveInt(MAX_BATCH), r.positiveInt(PAD_MULTIPLE), r.positiveLong(ROUND_BUDGET_MS),
                r.nonNegativeLong(CACHE_MAX_BYTES));
    }
}
