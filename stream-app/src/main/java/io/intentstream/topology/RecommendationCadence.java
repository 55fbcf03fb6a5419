package io.intentstream.topology;

import io.intentstream.sequence.BehaviorEvent;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.StepAction;
import java.util.List;

/**
 * When a shopper's recommendation is recomputed ({@code recommend.interval.ms}): scores follow
 * every event, but the next-item head scores the whole catalogue, so a recommendation is made
 * only when there is none yet, it came from another model version, the interval has passed, or
 * the cart changed since the last score (recommendations leave out what is in the cart).
 */
final class RecommendationCadence {
    private final long intervalMs;

    RecommendationCadence(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    boolean due(BehaviorSequence seq, LatestOutputs latest, String modelVersion, long nowMs) {
        if (intervalMs == 0 || latest == null || latest.recommendedAtMs() == LatestOutputs.NEVER
                || !latest.recommendationVersion().equals(modelVersion) || nowMs - latest.recommendedAtMs() >= intervalMs) {
            return true;
        }
        // The events accepted since the last score are (late arrivals aside) the newest ones.
        List<BehaviorEvent> events = seq.events();
        long fresh = Math.min(events.size(), seq.accepted() - latest.scoredThrough());
        for (int i = events.size() - 1; i >= events.size() - fresh; i--) {
            StepAction a = events.get(i).action();
            if (a == StepAction.ADD_TO_CART || a == StepAction.REMOVE_FROM_CART || a == StepAction.CHECKOUT) {
                return true;
            }
        }
        return false;
    }
}
