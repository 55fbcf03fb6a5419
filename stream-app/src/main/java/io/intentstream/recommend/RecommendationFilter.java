package io.intentstream.recommend;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Business filters between the model's top-K and what a shopper is shown: nothing already in the
 * cart, nothing bought this session, no duplicates, no special ids. Records which filters removed
 * at least one candidate, for {@code Recommendation.filters_applied}.
 */
public final class RecommendationFilter {
    public static final String IN_CART = "IN_CART";
    public static final String PURCHASED_IN_SESSION = "PURCHASED_IN_SESSION";
    public static final String DUPLICATE = "DUPLICATE";
    public static final String SPECIAL_ID = "SPECIAL_ID";

    /** Kept items (best first, at most topN) and the filters that fired. */
    public record Result(List<RankedItem> items, List<String> filtersApplied) {}

    private final int topN;

    public RecommendationFilter(int topN) {
        this.topN = topN;
    }

    public Result apply(List<RankedItem> candidates, Set<String> inCart, Set<String> purchased) {
        List<RankedItem> kept = new ArrayList<>(topN);
        Set<String> seen = new LinkedHashSet<>();
        Set<String> fired = new LinkedHashSet<>();
        for (RankedItem c : candidates) {
            if (kept.size() >= topN) {
                break;
            }
            if (c.itemId() == null || c.itemId().isBlank()) {
                fired.add(SPECIAL_ID);
            } else if (inCart.contains(c.itemId())) {
                fired.add(IN_CART);
            } else if (purchased.contains(c.itemId())) {
                fired.add(PURCHASED_IN_SESSION);
            } else if (!seen.add(c.itemId())) {
                fired.add(DUPLICATE);
            } else {
                kept.add(c);
            }
        }
        return new Result(List.copyOf(kept), List.copyOf(fired));
    }
}
