package io.intentstream.cli;

import io.intentstream.clickstream.ShopEvent;
import io.intentstream.events.BrowseEvent;
import io.intentstream.events.CartLine;
import io.intentstream.ingest.ContractDecimal;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The clickstream exports {@code replay} reads; the same formats and mappings as model-export's
 * loaders, so a replayed file means to the app what it meant to training.
 */
public enum ClickstreamFormat {
    /** REES46: {@code event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session}. */
    REES46(9, true),
    /** Taobao UserBehavior, no header: {@code user_id,item_id,category_id,behavior,timestamp}. */
    TAOBAO(5, false),
    /** RetailRocket events.csv: {@code timestamp,visitorid,event,itemid,transactionid}. */
    RETAILROCKET(5, true),
    /** {@code event_id,user_id,session_id,event_time_ms,event_type,item_id,category_id,query,price,quantity}. */
    GENERIC(-1, true);

    /** A row's price becomes a browse price or a cart unit price, so it must fit both. */
    private static final List<ContractDecimal> PRICE_TYPES = List.of(
            ContractDecimal.of(BrowseEvent.getClassSchema(), "price"),
            ContractDecimal.of(CartLine.getClassSchema(), "unit_price"));
    private static final DateTimeFormatter REES46_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    final int columns;
    final boolean header;

    ClickstreamFormat(int columns, boolean header) {
        this.columns = columns;
        this.header = header;
    }

    /** Guesses the format from the first line of a file. */
    public static ClickstreamFormat detect(String firstLine) {
        String l = firstLine.trim().toLowerCase(Locale.ROOT);
        if (l.startsWith("event_time,event_type,product_id")) {
            return REES46;
        }
        if (l.startsWith("timestamp,visitorid,event")) {
            return RETAILROCKET;
        }
        if (l.contains("user_id") && l.contains("event_type")) {
            return GENERIC;
        }
        if (CsvRow.split(l).size() == 5 && Character.isDigit(l.isEmpty() ? 'x' : l.charAt(0))) {
            return TAOBAO;
        }
        throw new IllegalArgumentException("cannot detect the clickstream format of a file starting with: "
                + firstLine + " (pass --format)");
    }

    /** A row without session ids gets its session assigned later; these sources have none. */
    boolean needsSessions() {
        return this == TAOBAO || this == RETAILROCKET;
    }

    /**
     * Reads one data row into an event with a stable id ({@code prefix-L<line>}), or null for a
     * known but unmodelled row type (Taobao "fav").
     */
    ShopEvent parse(List<String> row, Map<String, Integer> header, long line, String idPrefix) throws RowException {
        if (columns > 0 && row.size() != columns) {
            throw new RowException("expected " + columns + " columns, got " + row.size());
        }
        String id = idPrefix + "-L" + line;
        return switch (this) {
            case REES46 -> rees46(row, id);
            case TAOBAO -> taobao(row, id);
            case RETAILROCKET -> retailRocket(row, id);
            case GENERIC -> generic(row, header, id);
        };
    }

    private static ShopEvent rees46(List<String> r, String id) throws RowException {
        long time;
        try {
            time = LocalDateTime.parse(need(r.get(0), "event_time").replace(" UTC", ""), REES46_TIME)
                    .toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new RowException("bad event_time '" + r.get(0) + "'");
        }
        ShopEvent.Kind kind = switch (r.get(1).trim()) {
            case "view" -> ShopEvent.Kind.PRODUCT_VIEW;
            case "cart" -> ShopEvent.Kind.CART_ADD;
            case "remove_from_cart" -> ShopEvent.Kind.CART_REMOVE;
            case "purchase" -> ShopEvent.Kind.CHECKOUT;
            default -> throw new RowException("unknown event_type '" + r.get(1) + "'");
        };
        return event(id, need(r.get(7), "user_id"), need(r.get(8), "user_session"), time, kind,
                need(r.get(2), "product_id"), opt(r.get(3)), price(r.get(6)), null, 1);
    }

    private static ShopEvent taobao(List<String> r, String id) throws RowException {
        String behavior = r.get(3).trim();
        ShopEvent.Kind kind = switch (behavior) {
            case "pv" -> ShopEvent.Kind.PRODUCT_VIEW;
            case "cart" -> ShopEvent.Kind.CART_ADD;
            case "buy" -> ShopEvent.Kind.CHECKOUT;
            case "fav" -> null;
            default -> throw new RowException("unknown behavior '" + behavior + "'");
        };
        long time = number(r.get(4), "timestamp") * 1000;
        if (kind == null) {
            return null;
        }
        return event(id, need(r.get(0), "user_id"), "", time, kind, need(r.get(1), "item_id"), opt(r.get(2)), null, null, 1);
    }

    private static ShopEvent retailRocket(List<String> r, String id) throws RowException {
        ShopEvent.Kind kind = switch (r.get(2).trim()) {
            case "view" -> ShopEvent.Kind.PRODUCT_VIEW;
            case "addtocart" -> ShopEvent.Kind.CART_ADD;
            case "transaction" -> ShopEvent.Kind.CHECKOUT;
            default -> throw new RowException("unknown event '" + r.get(2) + "'");
        };
        return event(id, need(r.get(1), "visitorid"), "", number(r.get(0), "timestamp"), kind,
                need(r.get(3), "itemid"), null, null, null, 1);
    }

    private static final Map<String, ShopEvent.Kind> GENERIC_TYPES = Map.of(
            "view", ShopEvent.Kind.PRODUCT_VIEW, "search", ShopEvent.Kind.SEARCH,
            "cart_add", ShopEvent.Kind.CART_ADD, "cart_remove", ShopEvent.Kind.CART_REMOVE,
            "checkout", ShopEvent.Kind.CHECKOUT);

    private static ShopEvent generic(List<String> r, Map<String, Integer> h, String id) throws RowException {
        if (r.size() != h.size()) {
            throw new RowException("expected " + h.size() + " columns, got " + r.size());
        }
        String type = cell(r, h, "event_type");
        ShopEvent.Kind kind = GENERIC_TYPES.get(type == null ? "" : type.trim());
        if (kind == null) {
            throw new RowException("unknown event_type '" + type + "'");
        }
        String item = opt(cell(r, h, "item_id"));
        if (kind == ShopEvent.Kind.PRODUCT_VIEW && item == null) {
            kind = opt(cell(r, h, "category_id")) == null ? ShopEvent.Kind.HOME_VIEW : ShopEvent.Kind.CATEGORY_VIEW;
        }
        if ((kind == ShopEvent.Kind.CART_ADD || kind == ShopEvent.Kind.CART_REMOVE) && item == null) {
            throw new RowException("missing item_id for " + type);
        }
        String quantity = opt(cell(r, h, "quantity"));
        String eventId = opt(cell(r, h, "event_id"));
        String session = opt(cell(r, h, "session_id"));
        return event(eventId == null ? id : eventId, need(cell(r, h, "user_id"), "user_id"), session == null ? "" : session,
                number(cell(r, h, "event_time_ms"), "event_time_ms"), kind, item, opt(cell(r, h, "category_id")),
                price(cell(r, h, "price")), kind == ShopEvent.Kind.SEARCH ? opt(cell(r, h, "query")) : null,
                quantity == null ? 1 : (int) number(quantity, "quantity"));
    }

    private static ShopEvent event(String id, String user, String session, long time, ShopEvent.Kind kind, String item,
                                   String category, BigDecimal price, String query, int quantity) {
        List<ShopEvent.Line> lines = switch (kind) {
            case CART_ADD, CART_REMOVE, CHECKOUT -> item == null ? List.of()
                    : List.of(new ShopEvent.Line(item, category, quantity, price == null ? BigDecimal.ZERO : price));
            default -> List.of();
        };
        String pageItem = kind == ShopEvent.Kind.CHECKOUT ? null : item;
        return new ShopEvent(id, user, session, time, kind, pageItem, category, price, query, lines);
    }

    static Map<String, Integer> headerIndex(List<String> header) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            index.put(header.get(i).trim().toLowerCase(Locale.ROOT), i);
        }
        return index;
    }

    private static String cell(List<String> r, Map<String, Integer> h, String name) {
        Integer i = h.get(name);
        return i == null || i >= r.size() ? null : r.get(i);
    }

    private static String need(String v, String name) throws RowException {
        if (v == null || v.isBlank()) {
            throw new RowException("missing " + name);
        }
        return v.trim();
    }

    private static String opt(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static long number(String v, String name) throws RowException {
        try {
            return Long.parseLong(need(v, name));
        } catch (NumberFormatException e) {
            throw new RowException("bad " + name + " '" + v + "'");
        }
    }

    private static BigDecimal price(String v) throws RowException {
        String p = opt(v);
        if (p == null) {
            return null;
        }
        BigDecimal d;
        try {
            d = new BigDecimal(p);
        } catch (NumberFormatException e) {
            throw new RowException("bad price '" + v + "'");
        }
        if (d.signum() < 0) {
            throw new RowException("negative price '" + v + "'");
        }
        for (ContractDecimal type : PRICE_TYPES) {
            // The producer rounds to the scale; what must fit is the rounded value. Otherwise the
            // serializer would throw from send() instead of the row being counted as bad.
            if (!type.fits(type.round(d))) {
                throw new RowException("price '" + p + "' does not fit " + type);
            }
        }
        return d;
    }
}
