package io.intentstream.sequence;

import java.util.Objects;

/**
 * One accepted shopper event, reduced to what feature mapping and explanations need. Raw ids are
 * kept (not vocabulary ids) so that a hot-swapped model with a new vocabulary maps them afresh.
 *
 * @param itemId     product id, or null (search, checkout, pages without a product)
 * @param categoryId category id of the page / first cart line, or a search's category filter
 * @param query      search text (SEARCH only), already length-bounded by validation
 * @param price      the browse event's price or the first cart line's unit price; 0 when absent
 *                   (the model's cart-value aggregate reads it)
 */
public record BehaviorEvent(String eventId, long timeMs, StepAction action, String itemId,
                            String categoryId, String query, float price) {
    public BehaviorEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(action, "action");
        price = Float.isFinite(price) && price > 0 ? price : 0f;
    }

    /** An event without a price. */
    public BehaviorEvent(String eventId, long timeMs, StepAction action, String itemId, String categoryId, String query) {
        this(eventId, timeMs, action, itemId, categoryId, query, 0f);
    }
}
