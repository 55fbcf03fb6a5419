package io.intentstream.ingest;

import io.intentstream.config.IngestSettings;
import io.intentstream.events.BrowseEvent;
import io.intentstream.events.CartEvent;
import io.intentstream.events.CartLine;
import io.intentstream.events.SearchEvent;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Ingest rules for decoded events. A violation throws {@link InvalidEventException} whose reason is
 * one of the constants below; they are the {@code reason} tag values of
 * {@code intentstream_dlq_records_total} next to the decode reasons of the Avro deserializer.
 */
public final class EventValidator {
    public static final String MISSING_EVENT_ID = "MISSING_EVENT_ID";
    public static final String MISSING_USER_ID = "MISSING_USER_ID";
    public static final String MISSING_SESSION_ID = "MISSING_SESSION_ID";
    public static final String KEY_USER_MISMATCH = "KEY_USER_MISMATCH";
    public static final String EVENT_TIME_IN_FUTURE = "EVENT_TIME_IN_FUTURE";
    public static final String EVENT_TIME_TOO_OLD = "EVENT_TIME_TOO_OLD";
    public static final String FIELD_TOO_LONG = "FIELD_TOO_LONG";
    public static final String TOO_MANY_CART_LINES = "TOO_MANY_CART_LINES";
    public static final String UNKNOWN_ENUM_VALUE = "UNKNOWN_ENUM_VALUE";
    public static final String INVALID_QUANTITY = "INVALID_QUANTITY";
    public static final String NEGATIVE_PRICE = "NEGATIVE_PRICE";
    /** A price with more digits or decimals than its schema's decimal(precision, scale). */
    public static final String PRICE_OUT_OF_RANGE = "PRICE_OUT_OF_RANGE";
    /** No record key although {@code input.keyed.by.user=true}: the user's state would land on a random partition. */
    public static final String MISSING_KEY = "MISSING_KEY";
    public static final String MISSING_ITEM_ID = "MISSING_ITEM_ID";
    public static final String NEGATIVE_RESULT_COUNT = "NEGATIVE_RESULT_COUNT";

    private final long maxFutureSkewMs;
    private final long maxAgeMs;
    private final int maxIdLength;
    private final int maxQueryLength;
    private final int maxCartLines;
    private final int maxQuantity;
    private final boolean keyedByUser;
    private final ContractDecimal browsePrice = ContractDecimal.of(BrowseEvent.getClassSchema(), "price");
    private final ContractDecimal unitPrice = ContractDecimal.of(CartLine.getClassSchema(), "unit_price");

    public EventValidator(IngestSettings settings) {
        maxFutureSkewMs = settings.maxFutureSkewMs();
        maxAgeMs = settings.maxAgeMs();
        maxIdLength = settings.maxIdLength();
        maxQueryLength = settings.maxQueryLength();
        maxCartLines = settings.maxCartLines();
        maxQuantity = settings.maxQuantity();
        keyedByUser = settings.inputKeyedByUser();
    }

    /** Validates any of the three event types; {@code nowMs} is the wall clock of the stream thread. */
    public void validate(String key, Object value, long nowMs) {
        if (value instanceof BrowseEvent b) {
            common(key, b.getEventId(), b.getUserId(), b.getSessionId(), b.getEventTime(), nowMs);
            if (b.getPageType() == null) {
                throw new InvalidEventException(UNKNOWN_ENUM_VALUE, "page_type");
            }
            optionalId("item_id", b.getItemId());
            optionalId("category_id", b.getCategoryId());
            price(browsePrice, b.getPrice());
            optionalId("device", b.getDevice());
            optionalId("channel", b.getChannel());
        } else if (value instanceof SearchEvent s) {
            common(key, s.getEventId(), s.getUserId(), s.getSessionId(), s.getEventTime(), nowMs);
            if (s.getQuery() == null || s.getQuery().length() > maxQueryLength) {
                throw new InvalidEventException(FIELD_TOO_LONG, "query longer than " + maxQueryLength);
            }
            if (s.getResultCount() < 0) {
                throw new InvalidEventException(NEGATIVE_RESULT_COUNT, "result_count " + s.getResultCount());
            }
            optionalId("category_filter", s.getCategoryFilter());
            optionalId("device", s.getDevice());
            optionalId("channel", s.getChannel());
        } else if (value instanceof CartEvent c) {
            common(key, c.getEventId(), c.getUserId(), c.getSessionId(), c.getEventTime(), nowMs);
            if (c.getAction() == null) {
                throw new InvalidEventException(UNKNOWN_ENUM_VALUE, "action");
            }
            if (c.getItems() == null || c.getItems().size() > maxCartLines) {
                throw new InvalidEventException(TOO_MANY_CART_LINES, "more than " + maxCartLines + " lines");
            }
            for (CartLine line : c.getItems()) {
                if (blank(line.getItemId())) {
                    throw new InvalidEventException(MISSING_ITEM_ID, "cart line without item_id");
                }
                optionalId("item_id", line.getItemId());
                optionalId("category_id", line.getCategoryId());
                if (line.getQuantity() < 1 || line.getQuantity() > maxQuantity) {
                    throw new InvalidEventException(INVALID_QUANTITY, "quantity " + line.getQuantity());
                }
                if (line.getUnitPrice() == null) {
                    throw new InvalidEventException(NEGATIVE_PRICE, "unit_price missing");
                }
                price(unitPrice, line.getUnitPrice());
            }
            optionalId("currency", c.getCurrency());
            optionalId("order_id", c.getOrderId());
        } else {
            throw new IllegalArgumentException("not an intent-stream event: " + (value == null ? null : value.getClass()));
        }
    }

    private void common(String key, String eventId, String userId, String sessionId, Instant time, long nowMs) {
        required(MISSING_EVENT_ID, "event_id", eventId);
        required(MISSING_USER_ID, "user_id", userId);
        required(MISSING_SESSION_ID, "session_id", sessionId);
        if (keyedByUser && key == null) {
            throw new InvalidEventException(MISSING_KEY, "record has no key; input.keyed.by.user=true expects the user id");
        }
        if (keyedByUser && !key.equals(userId)) {
            throw new InvalidEventException(KEY_USER_MISMATCH, "record key differs from user_id");
        }
        if (time == null) {
            throw new InvalidEventException(EVENT_TIME_TOO_OLD, "event_time missing");
        }
        long t = time.toEpochMilli();
        if (t > nowMs + maxFutureSkewMs) {
            throw new InvalidEventException(EVENT_TIME_IN_FUTURE, (t - nowMs) + " ms ahead of the stream clock");
        }
        if (t < nowMs - maxAgeMs) {
            throw new InvalidEventException(EVENT_TIME_TOO_OLD, (nowMs - t) + " ms old");
        }
    }

    private void required(String reason, String field, String v) {
        if (blank(v)) {
            throw new InvalidEventException(reason, field + " is blank");
        }
        if (v.length() > maxIdLength) {
            throw new InvalidEventException(FIELD_TOO_LONG, field + " longer than " + maxIdLength);
        }
    }

    private void optionalId(String field, String v) {
        if (v != null && v.length() > maxIdLength) {
            throw new InvalidEventException(FIELD_TOO_LONG, field + " longer than " + maxIdLength);
        }
    }

    private static void price(ContractDecimal type, BigDecimal p) {
        if (p == null) {
            return;
        }
        if (p.signum() < 0) {
            throw new InvalidEventException(NEGATIVE_PRICE, type.field() + " is negative");
        }
        // The decoder accepts any length; an oversized price would make every output carrying it fail to write.
        if (!type.fits(p)) {
            throw new InvalidEventException(PRICE_OUT_OF_RANGE, type.violation(p));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
