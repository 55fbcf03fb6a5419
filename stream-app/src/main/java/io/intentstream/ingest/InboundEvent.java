package io.intentstream.ingest;

import io.intentstream.events.BrowseEvent;
import io.intentstream.events.CartAction;
import io.intentstream.events.CartEvent;
import io.intentstream.events.CartLine;
import io.intentstream.events.SearchEvent;
import io.intentstream.sequence.BehaviorEvent;
import io.intentstream.sequence.StepAction;
import java.math.BigDecimal;
import java.util.List;

/**
 * A validated input record in the one shape the stateful processor handles: a behaviour step
 * (with the cart change, for cart events) or an erasure request.
 */
public record InboundEvent(Kind kind, String userId, String sessionId, BehaviorEvent step, CartAction cartAction,
                           List<CartLine> cartLines, String currency) {
    public enum Kind { BROWSE, SEARCH, CART, ERASURE }

    public static InboundEvent erasure(String userId) {
        return new InboundEvent(Kind.ERASURE, userId, null, null, null, List.of(), null);
    }

    public static InboundEvent from(BrowseEvent e) {
        BehaviorEvent step = new BehaviorEvent(e.getEventId(), e.getEventTime().toEpochMilli(), StepAction.VIEW,
                e.getItemId(), e.getCategoryId(), null, price(e.getPrice()));
        return new InboundEvent(Kind.BROWSE, e.getUserId(), e.getSessionId(), step, null, List.of(), null);
    }

    public static InboundEvent from(SearchEvent e) {
        BehaviorEvent step = new BehaviorEvent(e.getEventId(), e.getEventTime().toEpochMilli(), StepAction.SEARCH,
                null, e.getCategoryFilter(), e.getQuery());
        return new InboundEvent(Kind.SEARCH, e.getUserId(), e.getSessionId(), step, null, List.of(), null);
    }

    private static float price(BigDecimal p) {
        return p == null ? 0f : p.floatValue();
    }

    /** Cart steps carry the item and category of the FIRST line (the sidecar contract). */
    public static InboundEvent from(CartEvent e) {
        StepAction action = switch (e.getAction()) {
            case ADD -> StepAction.ADD_TO_CART;
            case REMOVE -> StepAction.REMOVE_FROM_CART;
            case CHECKOUT -> StepAction.CHECKOUT;
        };
        List<CartLine> lines = e.getItems();
        CartLine first = lines.isEmpty() || action == StepAction.CHECKOUT ? null : lines.get(0);
        BehaviorEvent step = new BehaviorEvent(e.getEventId(), e.getEventTime().toEpochMilli(), action,
                first == null ? null : first.getItemId(), first == null ? null : first.getCategoryId(), null,
                first == null ? 0f : price(first.getUnitPrice()));
        return new InboundEvent(Kind.CART, e.getUserId(), e.getSessionId(), step, e.getAction(), List.copyOf(lines),
                e.getCurrency());
    }
}
