package io.intentstream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
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

    /**
     * Registry-framed bytes of {@code schema} with {@code edit} applied to the generic form and
     * written without logical-type conversions: how a foreign producer sends decimals that our own
     * writer would refuse (Avro checks precision only when converting on write).
     */
    public static byte[] rewrite(byte[] framed, Schema schema, Consumer<GenericRecord> edit) {
        GenericData plain = new GenericData();
        try {
            GenericRecord record = new GenericDatumReader<GenericRecord>(schema, schema, plain)
                    .read(null, DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null));
            edit.accept(record);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(Arrays.copyOf(framed, 5)); // magic byte and schema id
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema, plain).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Raw Avro decimal bytes: the two's-complement unscaled value, e.g. "100" for 1.00 at scale 2. */
    public static ByteBuffer unscaled(String digits) {
        return ByteBuffer.wrap(new BigInteger(digits).toByteArray());
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
