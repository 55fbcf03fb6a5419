package io.intentstream.scoring;

import io.intentstream.intent.ActionProbability;
import io.intentstream.intent.Influence;
import io.intentstream.recommend.RankedItem;
import java.util.List;

/**
 * One user's reading of one model call.
 *
 * @param topItems the model's top-K next items, best first; null when no recommendation was due
 * @param personal false when no step of the window has an item or a category the model knows, so
 *     its top-K is not personal and recommendations fall back to popularity
 */
public record UserScore(String userId, double purchaseProbability, List<ActionProbability> nextActions,
                        List<RankedItem> topItems, List<Influence> influences, int sequenceLength,
                        long newestEventTimeMs, boolean personal, String modelVersion) {
    /** Whether the call also computed this user's recommendation. */
    public boolean recommended() {
        return topItems != null;
    }

    UserScore withTopItems(List<RankedItem> items) {
        return new UserScore(userId, purchaseProbability, nextActions, List.copyOf(items), influences, sequenceLength,
                newestEventTimeMs, personal, modelVersion);
    }
}
