package io.intentstream.trigger;

/**
 * A shopper's high-intent trigger state: whether a crossing may fire ({@code armed}) and when the
 * trigger last fired ({@link #NEVER} before the first). It changes only when a score is made, so
 * it is stored with the shopper's latest outputs (one changelog record per score), not with the
 * behaviour sequence (which is written per event).
 */
public record TriggerState(boolean armed, long lastFiredAtMs) {
    public static final long NEVER = Long.MIN_VALUE;
    /** A shopper never scored: armed, never fired. */
    public static final TriggerState INITIAL = new TriggerState(true, NEVER);
}
