package io.intentstream.trigger;

import io.intentstream.intent.IntentTrigger;
import io.intentstream.intent.TriggerType;
import io.intentstream.sequence.BehaviorSequence;
import java.time.Instant;
import java.util.Optional;

/**
 * HIGH_PURCHASE_INTENT with hysteresis: fires when the purchase probability reaches {@code upper}
 * while armed, then stays quiet until the probability falls below {@code lower} (re-arm), so a score
 * hovering around the threshold does not fire on every event. A per-user cooldown bounds the rate
 * further; a crossing inside the cooldown is swallowed (and disarms) rather than deferred.
 */
public final class HighIntentTrigger {
    private final double upper;
    private final double lower;
    private final long cooldownMs;

    public HighIntentTrigger(double upper, double lower, long cooldownMs) {
        this.upper = upper;
        this.lower = lower;
        this.cooldownMs = cooldownMs;
    }

    /** Updates the user's trigger state in {@code seq} and returns the trigger if one fires. */
    public Optional<IntentTrigger> evaluate(String userId, BehaviorSequence seq, double probability, long nowMs,
                                            String modelVersion) {
        if (probability < lower) {
            seq.highIntentArmed(true);
            return Optional.empty();
        }
        if (probability < upper || !seq.highIntentArmed()) {
            return Optional.empty();
        }
        seq.highIntentArmed(false);
        boolean cooling = seq.lastHighIntentAtMs() != Long.MIN_VALUE && nowMs - seq.lastHighIntentAtMs() < cooldownMs;
        if (cooling) {
            return Optional.empty();
        }
        seq.lastHighIntentAtMs(nowMs);
        String eventId = seq.newest() == null ? "" : seq.newest().eventId();
        return Optional.of(IntentTrigger.newBuilder()
                .setTriggerId(TriggerIds.of(userId, TriggerType.HIGH_PURCHASE_INTENT, eventId))
                .setUserId(userId).setSessionId(seq.sessionId()).setTriggerType(TriggerType.HIGH_PURCHASE_INTENT)
                .setScore(probability).setThreshold(upper).setCart(CartSnapshots.of(seq))
                .setTriggeredAt(Instant.ofEpochMilli(nowMs)).setModelVersion(modelVersion).build());
    }
}
