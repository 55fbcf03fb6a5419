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
    /** The shopper's state after a score, and the trigger if it fired. */
    public record Evaluation(TriggerState state, Optional<IntentTrigger> trigger) {}

    private final double upper;
    private final double lower;
    private final long cooldownMs;

    public HighIntentTrigger(double upper, double lower, long cooldownMs) {
        this.upper = upper;
        this.lower = lower;
        this.cooldownMs = cooldownMs;
    }

    /** Evaluates one score of the user against their state before it; {@code seq} supplies the trigger's context. */
    public Evaluation evaluate(String userId, BehaviorSequence seq, TriggerState state, double probability, long nowMs,
                               String modelVersion) {
        if (probability < lower) {
            return new Evaluation(state.armed() ? state : new TriggerState(true, state.lastFiredAtMs()), Optional.empty());
        }
        if (probability < upper || !state.armed()) {
            return new Evaluation(state, Optional.empty());
        }
        boolean cooling = state.lastFiredAtMs() != TriggerState.NEVER && nowMs - state.lastFiredAtMs() < cooldownMs;
        if (cooling) {
            return new Evaluation(new TriggerState(false, state.lastFiredAtMs()), Optional.empty());
        }
        String eventId = seq.newest() == null ? "" : seq.newest().eventId();
        return new Evaluation(new TriggerState(false, nowMs), Optional.of(IntentTrigger.newBuilder()
                .setTriggerId(TriggerIds.of(userId, TriggerType.HIGH_PURCHASE_INTENT, eventId))
                .setUserId(userId).setSessionId(seq.sessionId()).setTriggerType(TriggerType.HIGH_PURCHASE_INTENT)
                .setScore(probability).setThreshold(upper).setCart(CartSnapshots.of(seq))
                .setTriggeredAt(Instant.ofEpochMilli(nowMs)).setModelVersion(modelVersion).build()));
    }
}
