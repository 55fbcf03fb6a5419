package io.intentstream.cli;

import io.intentstream.clickstream.ShopEvent;
import io.intentstream.clickstream.ShopEventProducer;
import io.intentstream.registry.MockSchemaRegistry;
import io.intentstream.registry.serde.KafkaAvroSerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class ClickstreamReaderTest {
    private final ReplayReport report = new ReplayReport();

    private List<ShopEvent> read(ClickstreamFormat format, String text) throws Exception {
        List<ShopEvent> out = new ArrayList<>();
        new ClickstreamReader(format, "t", report).read(new BufferedReader(new StringReader(text)), out::add);
        return out;
    }

    @Test
    void rees46RowsMapAndOnePurchasePerOrder() throws Exception {
        String csv = """
                event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session
                2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde
                2019-10-01 00:00:05 UTC,cart,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde
                2019-10-01 00:00:09 UTC,purchase,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde
                2019-10-01 00:00:09 UTC,purchase,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,541312140,72d76fde
                not-a-time,view,1,2,,,1.00,3,s
                2019-10-01 00:00:10 UTC,wishlist,1,2,,,1.00,3,s
                2019-10-01 00:00:11 UTC,view,1,2,,,1.00
                2019-10-01 00:00:12 UTC,view,1,2,,,abc,3,s
                """;
        List<ShopEvent> events = read(ClickstreamFormat.REES46, csv);
        assertThat(events).extracting(ShopEvent::kind).containsExactly(
                ShopEvent.Kind.PRODUCT_VIEW, ShopEvent.Kind.CART_ADD, ShopEvent.Kind.CHECKOUT);
        ShopEvent view = events.get(0);
        assertThat(view.eventId()).isEqualTo("t-L2");
        assertThat(view.userId()).isEqualTo("541312140");
        assertThat(view.sessionId()).isEqualTo("72d76fde");
        assertThat(view.timeMs()).isEqualTo(1569888000000L);
        assertThat(view.price()).isEqualByComparingTo(new BigDecimal("35.79"));
        assertThat(events.get(2).lines()).extracting(ShopEvent.Line::itemId).containsExactly("44600062", "3900821");
        assertThat(report.rows).isEqualTo(8);
        assertThat(report.events).isEqualTo(3);
        assertThat(report.malformed).isEqualTo(4);
        assertThat(report.malformedLines).containsExactly(
                "line 6: bad event_time 'not-a-time'",
                "line 7: unknown event_type 'wishlist'",
                "line 8: expected 9 columns, got 7",
                "line 9: bad price 'abc'");
    }

    @Test
    void taobaoGetsSessionsFromGapsAndSkipsFavourites() throws Exception {
        String csv = """
                1,2268318,2520377,pv,1511544070
                1,2333346,2520771,fav,1511561733
                1,2333346,2520771,cart,1511561800
                1,2333346,2520771,buy,1511572000
                2,100,200,jump,1511572000
                """;
        List<ShopEvent> events = read(ClickstreamFormat.TAOBAO, csv);
        assertThat(events).extracting(ShopEvent::kind).containsExactly(
                ShopEvent.Kind.PRODUCT_VIEW, ShopEvent.Kind.CART_ADD, ShopEvent.Kind.CHECKOUT);
        // 1511544070 -> 1511561800 is a gap of ~4.9 h: a new session; the buy 2.8 h later: another.
        assertThat(events).extracting(ShopEvent::sessionId).containsExactly("1#0", "1#1", "1#2");
        assertThat(events.get(1).lines().get(0).unitPrice()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(report.skipped).isEqualTo(1);
        assertThat(report.malformedLines).containsExactly("line 5: unknown behavior 'jump'");
    }

    @Test
    void retailRocketUsesMillisecondTimestamps() throws Exception {
        String csv = """
                timestamp,visitorid,event,itemid,transactionid
                1433221332117,257597,view,355908,
                1433221332200,257597,addtocart,355908,
                1433221340000,257597,transaction,355908,4000
                x,1,view,1,
                """;
        List<ShopEvent> events = read(ClickstreamFormat.RETAILROCKET, csv);
        assertThat(events).extracting(ShopEvent::kind).containsExactly(
                ShopEvent.Kind.PRODUCT_VIEW, ShopEvent.Kind.CART_ADD, ShopEvent.Kind.CHECKOUT);
        assertThat(events.get(0).timeMs()).isEqualTo(1433221332117L);
        assertThat(report.malformedLines).containsExactly("line 5: bad timestamp 'x'");
    }

    @Test
    void genericFormatKeepsIdsSearchesAndQuantities() throws Exception {
        String csv = """
                event_id,user_id,session_id,event_time_ms,event_type,item_id,category_id,query,price,quantity
                e1,u1,s1,1768404706010,view,sku-1,cat-04,,30.15,
                e2,u1,s1,1768404710490,search,,cat-04,running shoes,,
                e3,u1,s1,1768404710491,cart_add,sku-1,cat-04,,30.15,2
                e4,u1,s1,1768404745907,checkout,,,,,
                e5,u1,s1,1768404745908,cart_add,,,,,
                """;
        List<ShopEvent> events = read(ClickstreamFormat.GENERIC, csv);
        assertThat(events).extracting(ShopEvent::eventId).containsExactly("e1", "e2", "e3", "e4");
        assertThat(events.get(1).query()).isEqualTo("running shoes");
        assertThat(events.get(2).lines().get(0).quantity()).isEqualTo(2);
        assertThat(report.malformedLines).containsExactly("line 6: missing item_id for cart_add");
    }

    @Test
    void pricesThatDoNotFitTheContractDecimalAreBadRowsNotEvents() throws Exception {
        String csv = """
                event_id,user_id,session_id,event_time_ms,event_type,item_id,category_id,query,price,quantity
                e1,u1,s1,1768404706010,view,sku-1,,,9999999999.99,
                e2,u1,s1,1768404706011,view,sku-1,,,10000000000.00,
                e3,u1,s1,1768404706012,cart_add,sku-1,,,123456789012345678901234567890,1
                e4,u1,s1,1768404706013,view,sku-1,,,9999999999.995,
                e5,u1,s1,1768404706014,view,sku-1,,,1E+999999999,
                e6,u1,s1,1768404706015,view,sku-1,,,0.001,
                """;
        List<ShopEvent> events = read(ClickstreamFormat.GENERIC, csv);
        assertThat(events).extracting(ShopEvent::eventId).containsExactly("e1", "e6");
        assertThat(report.malformedLines).containsExactly(
                "line 3: price '10000000000.00' does not fit decimal(12,2)",
                "line 4: price '123456789012345678901234567890' does not fit decimal(12,2)",
                "line 5: price '9999999999.995' does not fit decimal(12,2)",
                "line 6: price '1E+999999999' does not fit decimal(12,2)");
    }

    @Test
    void anEventTheSerializerRefusesIsCountedAndTheReplayGoesOn() {
        ShopEvent ok = new ShopEvent("ok", "u1", "s1", 1L, ShopEvent.Kind.PRODUCT_VIEW, "i", null, BigDecimal.ONE, null, null);
        ShopEvent refused = new ShopEvent("bad", "u1", "s1", 2L, ShopEvent.Kind.PRODUCT_VIEW, "i", null,
                new BigDecimal("1E+20"), null, null);
        String scope = "replay-" + UUID.randomUUID();
        Map<String, Object> config = Map.of("schema.registry.url", MockSchemaRegistry.URL_PREFIX + scope);
        List<String> sent = new ArrayList<>();
        try (Serializer<Object> avro = new KafkaAvroSerializer()) {
            avro.configure(config, false);
            Consumer<ShopEvent> producer = e -> {
                avro.serialize(ShopEventProducer.topicOf(e.kind()).name(), ShopEventProducer.toAvro(e)); // as send() does
                sent.add(e.eventId());
            };
            report.events = 2;
            ReplayCommand.send(producer, ok, report);
            ReplayCommand.send(producer, refused, report);
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
        assertThat(sent).containsExactly("ok");
        assertThat(report.rejected).isEqualTo(1);
        assertThat(report.malformedLines).singleElement().asString().startsWith("event bad: ");
        assertThat(report.summary()).contains("1 events sent", "1 rejected by the serializer");
    }

    @Test
    void detectsFormatsFromTheFirstLine() {
        assertThat(ClickstreamFormat.detect("event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session"))
                .isEqualTo(ClickstreamFormat.REES46);
        assertThat(ClickstreamFormat.detect("timestamp,visitorid,event,itemid,transactionid")).isEqualTo(ClickstreamFormat.RETAILROCKET);
        assertThat(ClickstreamFormat.detect("1,2268318,2520377,pv,1511544070")).isEqualTo(ClickstreamFormat.TAOBAO);
        assertThat(ClickstreamFormat.detect("event_id,user_id,session_id,event_time_ms,event_type,item_id")).isEqualTo(ClickstreamFormat.GENERIC);
    }

    @Test
    void csvQuotingIsHonoured() {
        assertThat(CsvRow.split("a,\"b,c\",\"d\"\"e\",")).containsExactly("a", "b,c", "d\"e", "");
    }
}
