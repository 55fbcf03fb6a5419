package io.intentstream.clickstream;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One shopper action from a traffic source (the simulator or a replayed clickstream), before it
 * is turned into the Avro event of its input topic by {@link ShopEventProducer}.
 *
 * @param itemId     the product, for product views and cart changes; null otherwise
 * @param categoryId the page's category, or a search's category filter
 * @param query      search text (SEARCH only)
 * @param lines      cart lines (CART_ADD, CART_REMOVE, CHECKOUT); empty otherwise
 */
public record ShopEvent(String eventId, String userId, String sessionId, long timeMs, Kind kind,
                        String itemId, String categoryId, BigDecimal price, String query,
                        List<Line> lines) {

    /** What happened; maps onto the three input topics. */
    public enum Kind {
        PRODUCT_VIEW, CATEGORY_VIEW, HOME_VIEW, SEARCH, CART_ADD, CART_REMOVE, CHECKOUT;

        public String topicKind() {
            return switch (this) {
                case PRODUCT_VIEW, CATEGORY_VIEW, HOME_VIEW -> "browse";
                case SEARCH -> "search";
                case CART_ADD, CART_REMOVE, CHECKOUT -> "cart";
            };
        }
    }

    /** One cart line; {@code unitPrice} is never null (the cart contract requires a price). */
    public record Line(String itemId, String categoryId, int quantity, BigDecimal unitPrice) {}

    public ShopEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(kind, "kind");
        lines = lines == null ? List.of() : List.copyOf(lines);
    }
}
