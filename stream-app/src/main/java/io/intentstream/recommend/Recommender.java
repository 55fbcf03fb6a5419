package io.intentstream.recommend;

import io.intentstream.intent.Recommendation;
import io.intentstream.intent.RecommendationStrategy;
import io.intentstream.intent.RecommendedItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds the {@link Recommendation} for one scored user: the model's filtered top-K, or, when the
 * history holds no item and no category the model knows (empty or all out-of-vocabulary), the
 * sidecar's popular items with a rank-based score 1/rank.
 */
public final class Recommender {
    private final RecommendationFilter filter;

    public Recommender(RecommendationFilter filter) {
        this.filter = filter;
    }

    public Recommendation recommend(String userId, List<RankedItem> modelTopK, boolean personal, List<String> popularItems,
                                    Set<String> inCart, Set<String> purchased, long nowMs, String modelVersion) {
        RecommendationStrategy strategy;
        String reason;
        List<RankedItem> candidates;
        if (personal) {
            strategy = RecommendationStrategy.MODEL;
            candidates = modelTopK;
            reason = "Items the model ranks most likely to be viewed next after this shopper's recent events.";
        } else {
            strategy = RecommendationStrategy.POPULARITY_FALLBACK;
            candidates = new ArrayList<>(popularItems.size());
            for (int i = 0; i < popularItems.size(); i++) {
                candidates.add(new RankedItem(popularItems.get(i), 1.0 / (i + 1)));
            }
            reason = "The shopper's history has no item or category the model knows yet, so the most popular items are shown.";
        }
        RecommendationFilter.Result r = filter.apply(candidates, inCart, purchased);
        List<RecommendedItem> items = new ArrayList<>(r.items().size());
        for (int i = 0; i < r.items().size(); i++) {
            items.add(new RecommendedItem(r.items().get(i).itemId(), i + 1, r.items().get(i).score()));
        }
        return Recommendation.newBuilder().setUserId(userId).setItems(items).setStrategy(strategy)
                .setFiltersApplied(new ArrayList<>(r.filtersApplied())).setReason(reason)
                .setGeneratedAt(Instant.ofEpochMilli(nowMs)).setModelVersion(modelVersion).build();
    }
}
