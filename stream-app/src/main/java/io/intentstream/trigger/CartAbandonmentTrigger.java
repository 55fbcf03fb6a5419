package io.intentstream.trigger;

import io.intentstream.intent.IntentTrigger;
import io.intentstream.intent.TriggerType;
import io.intentstream.sequence.BehaviorSequence;
import java.time.Instant;
import java.util.Optional;

/**
 * CART_ABANDONMENT_RISK: a non-empty cart, a last purchase probability below
 * {@code maxProbability}, and the shopper idle for the configured time. The idle index decides
 * who is idle (once per idle period); this class decides whether the state warrants a trigger.
 */
public final class CartAbandonmentTrigger {
    private final double maxProbability;

    public CartAbandonmentTrigger(double maxProbability) {
        this.maxProbability = maxProbability;
    }

    /** @param p the purchase probability of the shopper's latest score, NaN when they have none */
    public Optional<IntentTrigger> evaluate(String userId, BehaviorSequence seq, double p, long nowMs, String modelVersion) {
        if (seq.cart().isEmpty() || Double.isNaN(p) || p >= maxProbability) {
            return Optional.empty();
        }
        String eventId = seq.newest() == null ? "" : seq.newest().eventId();
        return Optional.of(IntentTrigger.newBuilder()
                .setTriggerId(TriggerIds.of(userId, TriggerType.CART_ABANDONMENT_RISK, eventId))
                .setUserId(userId).setSessionId(seq.sessionId()).setTriggerType(TriggerType.CART_ABANDONMENT_RISK)
                .setScore(p).setThreshold(maxProbability).setCart(CartSnapshots.of(seq))
                .setTriggeredAt(Instant.ofEpochMilli(nowMs)).setModelVersion(modelVersion).build());
    }
}
