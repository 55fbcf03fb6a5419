package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.events.BrowseEvent;
import io.intentstream.events.CartAction;
import io.intentstream.events.CartEvent;
import io.intentstream.events.CartLine;
import io.intentstream.events.SearchEvent;
import io.intentstream.ingest.DeadLetterReasons;
import io.intentstream.ingest.EventValidator;
import io.intentstream.ingest.TestEvents;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import io.intentstream.sequence.BehaviorSequence;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Ingest through the whole topology: undecodable bytes and invalid events are dead-lettered with their reason and counted, and nothing of them reaches the state. */
class IngestTopologyTest extends TopologyFixture {
    /**
     * TopologyTestDriver does not hand the deserialization handler's dead-letter records to its
     * output topics, so here we assert the count and that processing continues; the record itself
     * (original bytes and headers) is asserted in DeadLetterDeserializationHandlerTest and on a real
     * broker in it-tests' EndToEndTest.
     */
    @Test
    void undecodableBytesAreCountedByReasonAndTheAppKeepsGoing() {
        start(Map.of());
        byte[] garbage = {7, 1, 2, 3};
        rawInput(Topics.BROWSE)
                .pipeInput("u1", garbage);
        assertThat(counter(IntentMetrics.DLQ_RECORDS, "reason", "UNKNOWN_MAGIC_BYTE")).isEqualTo(1);
        view("u1", "ok", T0 - 1_000, vocab.get(0));
        tick();
        assertThat(out(Topics.SCORES).readValuesToList()).as("the app keeps going").hasSize(1);
    }

    static Stream<Arguments> invalidEvents() {
        BrowseEvent ok = TestEvents.view("e1", "u1", T0 - 1_000, "i", "c");
        return Stream.of(
                Arguments.of(EventValidator.MISSING_USER_ID, Topics.BROWSE, BrowseEvent.newBuilder(ok).setUserId(" ").build(), " "),
                Arguments.of(EventValidator.MISSING_EVENT_ID, Topics.BROWSE, BrowseEvent.newBuilder(ok).setEventId("").build(), "u1"),
                Arguments.of(EventValidator.MISSING_SESSION_ID, Topics.BROWSE, BrowseEvent.newBuilder(ok).setSessionId("").build(), "u1"),
                Arguments.of(EventValidator.KEY_USER_MISMATCH, Topics.BROWSE, ok, "someone-else"),
                Arguments.of(EventValidator.EVENT_TIME_IN_FUTURE, Topics.BROWSE,
                        BrowseEvent.newBuilder(ok).setEventTime(Instant.ofEpochMilli(T0 + 3_600_000)).build(), "u1"),
                Arguments.of(EventValidator.EVENT_TIME_TOO_OLD, Topics.BROWSE,
                        BrowseEvent.newBuilder(ok).setEventTime(Instant.ofEpochMilli(T0 - 40L * 86_400_000)).build(), "u1"),
                Arguments.of(EventValidator.FIELD_TOO_LONG, Topics.BROWSE, BrowseEvent.newBuilder(ok).setItemId("x".repeat(500)).build(), "u1"),
                Arguments.of(EventValidator.NEGATIVE_PRICE, Topics.BROWSE, BrowseEvent.newBuilder(ok).setPrice(new BigDecimal("-1.00")).build(), "u1"),
                Arguments.of(EventValidator.FIELD_TOO_LONG, Topics.SEARCH, TestEvents.search("e2", "u1", T0 - 1, "q".repeat(600)), "u1"),
                Arguments.of(EventValidator.NEGATIVE_RESULT_COUNT, Topics.SEARCH,
                        SearchEvent.newBuilder(TestEvents.search("e3", "u1", T0 - 1, "shoes")).setResultCount(-1).build(), "u1"),
                Arguments.of(EventValidator.INVALID_QUANTITY, Topics.CART, CartEvent.newBuilder(TestEvents.cart("e4", "u1", T0 - 1, CartAction.ADD))
                        .setItems(List.of(new CartLine("i", null, 0, new BigDecimal("1.00")))).build(), "u1"),
                Arguments.of(EventValidator.NEGATIVE_PRICE, Topics.CART, CartEvent.newBuilder(TestEvents.cart("e5", "u1", T0 - 1, CartAction.ADD))
                        .setItems(List.of(new CartLine("i", null, 1, new BigDecimal("-0.01")))).build(), "u1"),
                Arguments.of(EventValidator.MISSING_ITEM_ID, Topics.CART, CartEvent.newBuilder(TestEvents.cart("e6", "u1", T0 - 1, CartAction.ADD))
                        .setItems(List.of(new CartLine(" ", null, 1, new BigDecimal("1.00")))).build(), "u1"),
                Arguments.of(EventValidator.TOO_MANY_CART_LINES, Topics.CART,
                        TestEvents.cart("e7", "u1", T0 - 1, CartAction.ADD, java.util.Collections.nCopies(201, "i").toArray(String[]::new)), "u1"));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("invalidEvents")
    void everyValidationFailureIsDeadLetteredWithItsReasonAndCounted(String reason, Topic<String, ?> topic, SpecificRecord event, String key) {
        start(Map.of());
        byte[] bytes = encode(topic, event);
        rawInput(topic).pipeInput(key, bytes);
        TestRecord<byte[], byte[]> dlq = deadLetters().readRecord();
        assertThat(dlq.value()).isEqualTo(bytes);
        assertThat(new String(dlq.key(), StandardCharsets.UTF_8)).isEqualTo(key);
        assertThat(header(dlq, DeadLetterReasons.HEADER)).isEqualTo(reason);
        assertThat(header(dlq, "__streams.errors.exception")).contains("InvalidEventException");
        assertThat(counter(IntentMetrics.DLQ_RECORDS, "reason", reason)).isEqualTo(1);
        tick();
        assertThat(out(Topics.SCORES).isEmpty()).isTrue();
    }

    /** Our writer refuses such decimals, so the bytes are written as a foreign producer would. */
    static Stream<Arguments> oversizedPrices() {
        BrowseEvent view = TestEvents.view("e1", "u1", T0 - 1_000, "i", "c");
        CartEvent add = TestEvents.cart("e2", "u1", T0 - 1_000, CartAction.ADD, "i");
        // 1000000000000.00: 15 digits where decimal(12,2) allows 12.
        String tooManyDigits = "1" + "0".repeat(14);
        return Stream.of(
                Arguments.of(Topics.BROWSE, view, BrowseEvent.getClassSchema(),
                        (Consumer<GenericRecord>) r -> r.put("price", TestEvents.unscaled(tooManyDigits))),
                Arguments.of(Topics.CART, add, CartEvent.getClassSchema(),
                        (Consumer<GenericRecord>) r -> ((GenericRecord) ((List<?>) r.get("items")).get(0))
                                .put("unit_price", TestEvents.unscaled(tooManyDigits))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oversizedPrices")
    void aPriceBeyondItsSchemaPrecisionIsDeadLetteredAsPriceOutOfRange(Topic<String, ?> topic, SpecificRecord event,
            Schema schema, Consumer<GenericRecord> edit) {
        start(Map.of("scoring.mode", "per-event"));
        byte[] valid = encode(topic, event);
        byte[] bytes = TestEvents.rewrite(valid, schema, edit);
        rawInput(topic).pipeInput("u1", bytes);
        TestRecord<byte[], byte[]> dlq = deadLetters().readRecord();
        assertThat(dlq.value()).isEqualTo(bytes);
        assertThat(header(dlq, DeadLetterReasons.HEADER)).isEqualTo(EventValidator.PRICE_OUT_OF_RANGE);
        assertThat(counter(IntentMetrics.DLQ_RECORDS, "reason", EventValidator.PRICE_OUT_OF_RANGE)).isEqualTo(1);
        assertThat(out(Topics.SCORES).isEmpty()).as("nothing of the event reached the state").isTrue();
        assertThat(driver.<String, BehaviorSequence>getKeyValueStore(StoreNames.SEQUENCES).get("u1")).isNull();
    }

    @Test
    void aRecordWithoutKeyIsDeadLetteredAsMissingKeyWhenInputIsKeyedByUser() {
        start(Map.of());
        byte[] bytes = encode(Topics.BROWSE, TestEvents.view("e1", "u1", T0 - 1_000, vocab.get(0), null));
        rawInput(Topics.BROWSE)
                .pipeInput((String) null, bytes);
        TestRecord<byte[], byte[]> dlq = deadLetters().readRecord();
        assertThat(dlq.key()).isNull();
        assertThat(dlq.value()).isEqualTo(bytes);
        assertThat(header(dlq, DeadLetterReasons.HEADER)).isEqualTo(EventValidator.MISSING_KEY);
        assertThat(counter(IntentMetrics.DLQ_RECORDS, "reason", EventValidator.MISSING_KEY)).isEqualTo(1);
        tick();
        assertThat(out(Topics.SCORES).isEmpty()).isTrue();
        assertThat(driver.<String, BehaviorSequence>getKeyValueStore(StoreNames.SEQUENCES).get("u1")).isNull();
    }
}
