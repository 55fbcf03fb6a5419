package io.intentstream.config;

/**
 * Shape of the outputs: recommendation length and cadence, trigger thresholds ({@code recommend.*},
 * {@code trigger.*}).
 */
public record OutputSettings(int recommendTopN, long recommendIntervalMs, double highIntentUpper, double highIntentLower,
                             long highIntentCooldownMs, long abandonmentIdleMs, double abandonmentMaxProbability) {
    public static final String RECOMMEND_TOP_N = "recommend.top.n";
    public static final String RECOMMEND_INTERVAL_MS = "recommend.interval.ms";
    public static final String HIGH_INTENT_UPPER = "trigger.high-intent.upper";
    public static final String HIGH_INTENT_LOWER = "trigger.high-intent.lower";
    public static final String HIGH_INTENT_COOLDOWN_MS = "trigger.high-intent.cooldown.ms";
    public static final String ABANDONMENT_IDLE_MS = "trigger.cart-abandonment.idle.ms";
    public static final String ABANDONMENT_MAX_PROBABILITY = "trigger.cart-abandonment.max.probability";

    static OutputSettings read(SettingsReader r) {
        double upper = r.probability(HIGH_INTENT_UPPER);
        double lower = r.probability(HIGH_INTENT_LOWER);
        if (lower > upper) {
            throw new IllegalArgumentException(HIGH_INTENT_LOWER + " must be <= " + HIGH_INTENT_UPPER + ", got " + lower
                    + " > " + upper);
        }
        long cooldown = r.longValue(HIGH_INTENT_COOLDOWN_MS);
        if (cooldown < 0) {
            throw new IllegalArgumentException(HIGH_INTENT_COOLDOWN_MS + " must be >= 0, got " + cooldown);
        }
        long interval = r.longValue(RECOMMEND_INTERVAL_MS);
        if (interval < 0) {
            throw new IllegalArgumentException(RECOMMEND_INTERVAL_MS + " must be >= 0, got " + interval);
        }
        return new OutputSettings(r.positiveInt(RECOMMEND_TOP_N), interval, upper, lower, cooldown,
                r.positiveLong(ABANDONMENT_IDLE_MS), r.probability(ABANDONMENT_MAX_PROBABILITY));
    }
}
