package io.intentstream.it.chaos;

import io.intentstream.clickstream.ShopEvent;
import io.intentstream.clickstream.ShopEventProducer;
import io.intentstream.events.BrowseEvent;
import io.intentstream.events.CartEvent;
import io.intentstream.events.CartLine;
import io.intentstream.events.SearchEvent;
import io.intentstream.ingest.EventValidator;
import io.intentstream.registry.serde.AvroDeserializationException.Reason;
import io.intentstream.registry.serde.KafkaAvroSerializer;
import io.intentstream.schemas.Topics;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The bad-input barrage: kinds of records a careless or broken producer writes, each with the
 * dead-letter reason the app must give it. Every bad record has its own {@code bad-} key (or no
 * key), so it can never touch a good shopper's state, and a dead letter with any other key would
 * be a good event thrown away.
 */
final class BadRecords {
    /** One kind of bad record: its input topic, the reason expected in the DLQ, and how it is built. */
    enum Kind {
        NOT_AVRO(Topics.BROWSE.name(), Reason.UNKNOWN_MAGIC_BYTE.name()),
        SHORTER_THAN_HEADER(Topics.SEARCH.name(), Reason.TRUNCATED.name()),
        UNKNOWN_SCHEMA_ID(Topics.CART.name(), Reason.UNKNOWN_SCHEMA_ID.name()),
        TRUNCATED_AVRO(Topics.BROWSE.name(), Reason.TRUNCATED.name()),
        TRAILING_BYTES(Topics.SEARCH.name(), Reason.MALFORMED_AVRO.name()),
        KEY_NOT_USER(Topics.BROWSE.name(), EventValidator.KEY_USER_MISMATCH),
        NULL_KEY(Topics.SEARCH.name(), EventValidator.MISSING_KEY),
        MISSING_EVENT_ID(Topics.CART.name(), EventValidator.MISSING_EVENT_ID),
        MISSING_USER_ID(Topics.BROWSE.name(), EventValidator.MISSING_USER_ID),
        FUTURE_TIME(Topics.SEARCH.name(), EventValidator.EVENT_TIME_IN_FUTURE),
        ANCIENT_TIME(Topics.CART.name(), EventValidator.EVENT_TIME_TOO_OLD),
        LONG_ITEM_ID(Topics.BROWSE.name(), EventValidator.FIELD_TOO_LONG),
        MEGABYTE_QUERY(Topics.SEARCH.name(), EventValidator.FIELD_TOO_LONG),
        ZERO_QUANTITY(Topics.CART.name(), EventValidator.INVALID_QUANTITY),
        TOO_MANY_CART_LINES(Topics.CART.name(), EventValidator.TOO_MANY_CART_LINES),
        NEGATIVE_PRICE(Topics.BROWSE.name(), EventValidator.NEGATIVE_PRICE);

        final String topic;
        final String reason;

        Kind(String topic, String reason) {
            this.topic = topic;
            this.reason = reason;
        }

        /** How many of this kind a run sends: megabyte records are a tenth, to keep the run's I/O sane. */
        int count(int perKind) {
            return this == MEGABYTE_QUERY ? Math.max(1, perKind / 10) : perKind;
        }
    }

    /** A record ready to send: key may be null. */
    record Bad(Kind kind, String key, byte[] value) {}

    private final KafkaAvroSerializer serializer = new KafkaAvroSerializer();

    BadRecords(String registryUrl) {
        serializer.configure(Map.of("schema.registry.url", registryUrl), false);
    }

    /** Every (kind, index) of a run, shuffled so kinds interleave with each other and with good traffic. */
    static List<long[]> plan(int perKind, long seed) {
        List<long[]> plan = new ArrayList<>();
        for (Kind k : Kind.values()) {
            for (int i = 0; i < k.count(perKind); i++) {
                plan.add(new long[] {k.ordinal(), i});
            }
        }
        Collections.shuffle(plan, new Random(seed));
        return plan;
    }

    Bad build(Kind kind, int i) {
        String user = "bad-" + kind.name().toLowerCase().replace('_', '-') + "-" + i;
        long now = System.currentTimeMillis();
        return switch (kind) {
            case NOT_AVRO -> new Bad(kind, user, ("{\"user_id\":\"" + user + "\"}").getBytes(StandardCharsets.UTF_8));
            case SHORTER_THAN_HEADER -> new Bad(kind, user, new byte[] {0, 0, 1});
            case UNKNOWN_SCHEMA_ID -> new Bad(kind, user, withSchemaId(frame(kind.topic, cart(user, now, 1, 1)), 987_654_321));
            case TRUNCATED_AVRO -> new Bad(kind, user, Arrays.copyOf(frame(kind.topic, browse(user, now)), 12));
            case TRAILING_BYTES -> {
                byte[] ok = frame(kind.topic, search(user, now, "shoes"));
                byte[] longer = Arrays.copyOf(ok, ok.length + 3);
                yield new Bad(kind, user, longer);
            }
            case KEY_NOT_USER -> new Bad(kind, user + "-key", frame(kind.topic, browse(user, now)));
            case NULL_KEY -> new Bad(kind, null, frame(kind.topic, search(user, now, "shoes")));
            case MISSING_EVENT_ID -> new Bad(kind, user, frame(kind.topic, with(cart(user, now, 1, 1), c -> c.setEventId(""))));
            case MISSING_USER_ID -> new Bad(kind, user, frame(kind.topic, with(browse(user, now), b -> b.setUserId(""))));
            case FUTURE_TIME -> new Bad(kind, user, frame(kind.topic,
                    with(search(user, now, "shoes"), s -> s.setEventTime(Instant.ofEpochMilli(now + 2 * 86_400_000L)))));
            case ANCIENT_TIME -> new Bad(kind, user, frame(kind.topic,
                    with(cart(user, now, 1, 1), c -> c.setEventTime(Instant.ofEpochMilli(now - 90 * 86_400_000L)))));
            case LONG_ITEM_ID -> new Bad(kind, user, frame(kind.topic, with(browse(user, now), b -> b.setItemId("i".repeat(1000)))));
            // ~1 MB: the size that once crash-looped the app (a dead letter over the producer's limit).
            case MEGABYTE_QUERY -> new Bad(kind, user, frame(kind.topic, search(user, now, "q".repeat(1_000_000))));
            case ZERO_QUANTITY -> new Bad(kind, user, frame(kind.topic, cart(user, now, 1, 0)));
            case TOO_MANY_CART_LINES -> new Bad(kind, user, frame(kind.topic, cart(user, now, 201, 1)));
            case NEGATIVE_PRICE -> new Bad(kind, user, frame(kind.topic, with(browse(user, now), b -> b.setPrice(new BigDecimal("-1.00")))));
        };
    }

    private byte[] frame(String topic, Object record) {
        return serializer.serialize(topic, record);
    }

    /** Avro's builders deep-copy through class look-ups Avro does not trust here; the setters do not. */
    private static <T> T with(T record, java.util.function.Consumer<T> change) {
        change.accept(record);
        return record;
    }

    private static byte[] withSchemaId(byte[] framed, int id) {
        byte[] copy = framed.clone();
        ByteBuffer.wrap(copy, 1, 4).putInt(id);
        return copy;
    }

    private static BrowseEvent browse(String user, long now) {
        return (BrowseEvent) ShopEventProducer.toAvro(new ShopEvent(user + "-e0", user, user + "-s1", now,
                ShopEvent.Kind.PRODUCT_VIEW, "i-1", "c-1", new BigDecimal("9.99"), null, List.of()));
    }

    private static SearchEvent search(String user, long now, String query) {
        return (SearchEvent) ShopEventProducer.toAvro(new ShopEvent(user + "-e0", user, user + "-s1", now,
                ShopEvent.Kind.SEARCH, null, "c-1", null, query, List.of()));
    }

    private static CartEvent cart(String user, long now, int lines, int quantity) {
        CartEvent ok = (CartEvent) ShopEventProducer.toAvro(new ShopEvent(user + "-e0", user, user + "-s1", now,
                ShopEvent.Kind.CART_ADD, "i-1", "c-1", new BigDecimal("9.99"), null,
                List.of(new ShopEvent.Line("i-1", "c-1", 1, new BigDecimal("9.99")))));
        List<CartLine> items = new ArrayList<>();
        for (int l = 0; l < lines; l++) {
            items.add(new CartLine("i-" + l, "c-1", quantity, new BigDecimal("9.99")));
        }
        ok.setItems(items);
        return ok;
    }

    void close() {
        serializer.close();
    }
}
