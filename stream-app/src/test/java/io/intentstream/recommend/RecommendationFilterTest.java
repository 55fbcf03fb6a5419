package io.intentstream.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecommendationFilterTest {

    @Test
    void dropsCartPurchasedDuplicateAndSpecialIdsAndNamesTheFiltersThatFired() {
        List<RankedItem> candidates = Arrays.asList(new RankedItem("a", .5), new RankedItem(null, .2),
                new RankedItem("cart", .1), new RankedItem("a", .05), new RankedItem("bought", .04),
                new RankedItem("b", .03), new RankedItem("c", .02));
        RecommendationFilter.Result r = new RecommendationFilter(2).apply(candidates, Set.of("cart"), Set.of("bought"));
        assertThat(r.items()).extracting(RankedItem::itemId).containsExactly("a", "b");
        assertThat(r.filtersApplied()).containsExactly(RecommendationFilter.SPECIAL_ID, RecommendationFilter.IN_CART,
                RecommendationFilter.DUPLICATE, RecommendationFilter.PURCHASED_IN_SESSION);
    }

    @Test
    void reportsNoFiltersWhenNothingWasRemoved() {
        RecommendationFilter.Result r = new RecommendationFilter(10)
                .apply(List.of(new RankedItem("a", 1)), Set.of(), Set.of());
        assertThat(r.filtersApplied()).isEmpty();
        assertThat(r.items()).hasSize(1);
    }
}
