package io.intentstream.topology;

import io.intentstream.config.OutputSettings;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.IntentTrigger;
import io.intentstream.intent.Recommendation;
import io.intentstream.recommend.RecommendationFilter;
import io.intentstream.recommend.Recommender;
import io.intentstream.scoring.UserScore;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.LegacyTrigger;
import io.intentstream.trigger.HighIntentTrigger;
import io.intentstream.trigger.TriggerState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Turns one model score into the three outputs: the {@link IntentScore}, the
 * {@link Recommendation} and, when it fires, the high-intent {@link IntentTrigger}. No store, no
 * context, no model: it reads the shopper's sequence and their trigger state before the score,
 * and returns the state after it (hysteresis, cooldown), which the caller stores with the outputs.
 */
final class OutputAssembler {
    /**
     * What one scored shopper publishes: the recommendation only when the score made one (see
     * {@code recommend.interval.ms}), and their trigger state after the score.
     */
    record ShopperOutputs(IntentScore score, Optional<Recommendation> recommendation, Optional<IntentTrigger> trigger,
                          TriggerState triggerState) {}

    private final Recommender recommender;
    private final HighIntentTrigger highIntent;

    OutputAssembler(OutputSettings settings) {
        this.recommender = new Recommender(new RecommendationFilter(settings.recommendTopN()));
        this.highIntent = new HighIntentTrigger(settings.highIntentUpper(), settings.highIntentLower(),
                settings.highIntentCooldownMs());
    }

    /**
     * @param before the shopper's trigger state before this score (see {@link #stateBefore})
     * @param popularItems the fallback of the same model version that produced {@code s}
     */
    ShopperOutputs assemble(String user, BehaviorSequence seq, TriggerState before, UserScore s, List<String> popularItems,
                            long nowMs) {
        IntentScore score = IntentScore.newBuilder().setUserId(user).setSessionId(seq.sessionId())
                .setPurchaseProbability(s.purchaseProbability()).setNextAction(s.nextActions())
                .setTopInfluences(s.influences()).setSequenceLength(s.sequenceLength())
                .setNewestEventTime(Instant.ofEpochMilli(s.newestEventTimeMs())).setScoredAt(Instant.ofEpochMilli(nowMs))
                .setModelVersion(s.modelVersion()).build();
        Optional<Recommendation> rec = !s.recommended() ? Optional.empty() : Optional.of(recommender.recommend(user,
                s.topItems(), s.personal(), popularItems, seq.cart().keySet(), seq.purchasedInSession(), nowMs,
                s.modelVersion()));
        HighIntentTrigger.Evaluation e = highIntent.evaluate(user, seq, before, s.purchaseProbability(), nowMs,
                s.modelVersion());
        return new ShopperOutputs(score, rec, e.trigger(), e.state());
    }

    /**
     * The trigger state before a score: the latest outputs' if they hold one, else the state a
     * sequence stored before format 5 carried, else the initial state.
     */
    static TriggerState stateBefore(LatestOutputs latest, BehaviorSequence seq) {
        if (latest != null && latest.trigger() != null) {
            return latest.trigger();
        }
        LegacyTrigger legacy = seq.legacyTrigger();
        return legacy != null ? new TriggerState(legacy.armed(), legacy.firedAtMs()) : TriggerState.INITIAL;
    }
}
