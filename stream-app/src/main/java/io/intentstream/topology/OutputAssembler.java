package io.intentstream.topology;

import io.intentstream.config.OutputSettings;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.IntentTrigger;
import io.intentstream.intent.Recommendation;
import io.intentstream.recommend.RecommendationFilter;
import io.intentstream.recommend.Recommender;
import io.intentstream.scoring.UserScore;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.trigger.HighIntentTrigger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Turns one model score into the three outputs: the {@link IntentScore}, the
 * {@link Recommendation} and, when it fires, the high-intent {@link IntentTrigger}. No store, no
 * context, no model: it reads the shopper's sequence and updates only the trigger state kept in it
 * (hysteresis, cooldown), which the caller stores when it changed.
 */
final class OutputAssembler {
    /**
     * What one scored shopper publishes: the recommendation only when the score made one (see
     * {@code recommend.interval.ms}); {@code sequenceChanged} when the trigger state in the
     * sequence changed, so the sequence must be stored again.
     */
    record ShopperOutputs(IntentScore score, Optional<Recommendation> recommendation, Optional<IntentTrigger> trigger,
                          boolean sequenceChanged) {}

    private final Recommender recommender;
    private final HighIntentTrigger highIntent;

    OutputAssembler(OutputSettings settings) {
        this.recommender = new Recommender(new RecommendationFilter(settings.recommendTopN()));
        this.highIntent = new HighIntentTrigger(settings.highIntentUpper(), settings.highIntentLower(),
                settings.highIntentCooldownMs());
    }

    /** @param popularItems the fallback of the same model version that produced {@code s} */
    ShopperOutputs assemble(String user, BehaviorSequence seq, UserScore s, List<String> popularItems, long nowMs) {
        IntentScore score = IntentScore.newBuilder().setUserId(user).setSessionId(seq.sessionId())
                .setPurchaseProbability(s.purchaseProbability()).setNextAction(s.nextActions())
                .setTopInfluences(s.influences()).setSequenceLength(s.sequenceLength())
                .setNewestEventTime(Instant.ofEpochMilli(s.newestEventTimeMs())).setScoredAt(Instant.ofEpochMilli(nowMs))
                .setModelVersion(s.modelVersion()).build();
        Optional<Recommendation> rec = !s.recommended() ? Optional.empty() : Optional.of(recommender.recommend(user,
                s.topItems(), s.personal(), popularItems, seq.cart().keySet(), seq.purchasedInSession(), nowMs,
                s.modelVersion()));
        boolean armed = seq.highIntentArmed();
        long lastFired = seq.lastHighIntentAtMs();
        Optional<IntentTrigger> trigger = highIntent.evaluate(user, seq, s.purchaseProbability(), nowMs, s.modelVersion());
        return new ShopperOutputs(score, rec, trigger, armed != seq.highIntentArmed() || lastFired != seq.lastHighIntentAtMs());
    }
}
