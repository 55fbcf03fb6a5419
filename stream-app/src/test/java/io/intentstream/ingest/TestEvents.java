package io.intentstream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentstream.events.BrowseEvent;
import io.intentstream.events.CartAction;
import io.intentstream.events.CartEvent;
import io.intentstream.events.CartLine;
import io.intentstream.events.PageType;
import io.intentstream.events.SearchEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Avro events for tests, by hand or from the fixture JSON (Avro field names, ms, decimal strings). */
public final class TestEvents {
    private TestEvents() {}

    public static BrowseEvent view(String id, String user, long t, String item, String category) {
        return BrowseEvent.newBuilder().setEventId(id).setUserId(user).setSessionId("s-" + user)
                .setEventTime(Instant.ofEpochMilli(t)).setPageType(item == null ? PageType.HOME : PageType.PRODUCT)
                .setItemId(item).setCategoryId(category).setPrice(item == null ? null : new BigDecimal("9.99")).build();
    }

    public static SearchEvent search(String id, String user, long t, String query) {
        return SearchEvent.newBuilder().setEventId(id).setUserId(user).setSessionId("s-" + user)
                .setEventTime(Instant.ofEpochMilli(t)).setQuery(query).setResultCount(3).build();
    }

    public static CartEvent cart(String id, String user, long t, CartAction action, String... items) {
        List<CartLine> lines = new ArrayList<>();
        for (String item : items) {
            lines.add(new CartLine(item, null, 1, new BigDecimal("9.50")));
        }
        return CartEvent.newBuilder().setEventId(id).setUserId(user).setSessionId("s-" + user)
                .setEventTime(Instant.ofEpochMilli(t)).setAction(action).setItems(lines).build();
    }

    public static Object fromJson(String topic, JsonNode v) {
        String eventId = v.get("event_id").asText();
        String user = v.get("user_id").asText();
        String session = v.get("session_id").asText();
        Instant t = Instant.ofEpochMilli(v.get("event_time").asLong());
        switch (topic) {
            case "shop.browse.v1":
                return BrowseEvent.newBuilder().setEventId(eventId).setUserId(user).setSessionId(session).setEventTime(t)
                        .setPageType(PageType.valueOf(v.path("page_type").asText("OTHER")))
                        .setItemId(text(v, "item_id")).setCategoryId(text(v, "category_id"))
                        .setPrice(text(v, "price") == null ? null : new BigDecimal(text(v, "price")))
                        .setDevice(text(v, "device")).setChannel(text(v, "channel")).build();
            case "shop.search.v1":
                return SearchEvent.newBuilder().setEventId(eventId).setUserId(user).setSessionId(session).setEventTime(t)
                        .setQuery(v.get("query").asText()).setResultCount(v.path("result_count").asInt())
                        .setCategoryFilter(text(v, "category_filter")).setDevice(text(v, "device"))
                        .setChannel(text(v, "channel")).build();
            case "shop.cart.v1":
                List<CartLine> lines = new ArrayList<>();
                for (JsonNode l : v.get("items")) {
                    lines.add(new CartLine(l.get("item_id").asText(), text(l, "category_id"), l.get("quantity").asInt(),
                            new BigDecimal(l.get("unit_price").asText())));
                }
                return CartEvent.newBuilder().setEventId(eventId).setUserId(user).setSessionId(session).setEventTime(t)
                        .setAction(CartAction.valueOf(v.get("action").asText())).setItems(lines)
                        .setCurrency(v.path("currency").asText("USD")).setOrderId(text(v, "order_id"))
                        .setDevice(text(v, "device")).setChannel(text(v, "channel")).build();
            default:
                throw new IllegalArgumentException(topic);
        }
    }

    public static InboundEvent inbound(Object avro) {
        if (avro instanceof BrowseEvent b) {
            return InboundEvent.from(b);
        }
        if (avro instanceof SearchEvent s) {
            return InboundEvent.from(s);
        }
        return InboundEvent.from((CartEvent) avro);
    }

    private static String text(JsonNode v, String field) {
        JsonNode n = v.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
