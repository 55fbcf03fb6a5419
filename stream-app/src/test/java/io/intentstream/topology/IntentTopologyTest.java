package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.config.IntentConfig;
import io.intentstream.events.BrowseEvent;
import io.intentstream.events.CartAction;
import io.intentstream.events.CartEvent;
import io.intentstream.events.CartLine;
import io.intentstream.events.SearchEvent;
import io.intentstream.ingest.DeadLetterReasons;
import io.intentstream.ingest.EventValidator;
import io.intentstream.ingest.TestEvents;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.IntentTrigger;
import io.intentstream.intent.Recommendation;
import io.intentstream.intent.RecommendationStrategy;
import io.intentstream.intent.RecommendedItem;
import io.intentstream.intent.TriggerType;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.LiveModel;
import io.intentstream.model.TestModels;
import io.intentstream.registry.MockSchemaRegistry;
import io.intentstream.schemas.Topics;
import io.intentstream.sequence.BehaviorEvent;
import io.intentstream.sequence.BehaviorSequence;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The whole topology on TopologyTestDriver with the real committed model, RocksDB stores and a mock:// registry. */
class IntentTopologyTest {
    static final long T0 = 1_767_600_000_000L;
    static LiveModel model;
    static List<String> vocab;

    @TempDir
    Path stateDir;
    String scope;
    IntentMetrics metrics;
    TopologyTestDriver driver;
    Map<String, Object> registry;

    @BeforeAll
    static void useThePackagedModel() {
        model = TestModels.packaged();
        vocab = TestModels.itemVocab(model);
    }

    @AfterEach
    void tearDown() {
        if (driver != null) {
            driver.close();
        }
        MockSchemaRegistry.dropScope(scope);
    }

    void start(Map<String, String> overrides) {
        start(overrides, model);
    }

    void start(Map<String, String> overrides, LiveModel live) {
        scope = "topology-" + UUID.randomUUID();
        Map<String, String> m = new HashMap<>(Map.of("registry.schema.registry.url", "mock://" + scope,
                "streams.application.id", "intent-test", "streams.state.dir", stateDir.toString(),
                "scoring.max.batch", "32", "sequence.idle.check.interval.ms", "1000"));
        m.putAll(overrides);
        IntentConfig config = TestModels.config(m);
        metrics = IntentMetrics.noop();
        registry = config.registryConfig();
        Properties props = IntentTopology.streamsProperties(config, metrics);
        driver = new TopologyTestDriver(IntentTopology.build(config, live, metrics), props, Instant.ofEpochMilli(T0));
    }

    <T extends SpecificRecord> TestInputTopic<String, T> in(String topic, Class<T> cls) {
        Serde<T> serde = IntentTopology.avro(cls, registry);
        return driver.createInputTopic(topic, Serdes.String().serializer(), serde.serializer());
    }

    <T extends SpecificRecord> TestOutputTopic<String, T> out(String topic, Class<T> cls) {
        return driver.createOutputTopic(topic, Serdes.String().deserializer(), IntentTopology.avro(cls, registry).deserializer());
    }

    void view(String user, String id, long t, String item) {
        in(Topics.BROWSE, BrowseEvent.class).pipeInput(user, TestEvents.view(id, user, t, item, null), t);
    }

    void tick() {
        driver.advanceWallClockTime(Duration.ofMillis(20));
    }

    double counter(String name, String tag, String value) {
        var c = metrics.registry().find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void scoresEveryDirtyUserOncePerIntervalOnTheNewestSequence() {
        start(Map.of());
        for (int i = 0; i < 5; i++) {
            view("u1", "e" + i, T0 - 60_000 + i * 1_000, vocab.get(i));
        }
        view("u2", "x1", T0 - 1_000, vocab.get(7));
        var scores = out(Topics.SCORES, IntentScore.class);
        assertThat(scores.isEmpty()).isTrue();
        tick();
        Map<String, IntentScore> byUser = scores.readKeyValuesToMap();
        assertThat(byUser).containsOnlyKeys("u1", "u2");
        IntentScore u1 = byUser.get("u1");
        assertThat(u1.getSequenceLength()).isEqualTo(5);
        assertThat(u1.getModelVersion()).isEqualTo(model.version());
        assertThat(u1.getPurchaseProbability()).isBetween(0.0, 1.0);
        assertThat(u1.getNextAction()).hasSize(6);
        assertThat(u1.getNextAction().stream().mapToDouble(a -> a.getProbability()).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(u1.getTopInfluences()).hasSize(3).allSatisfy(inf -> assertThat(inf.getEventId()).startsWith("e"));
        assertThat(u1.getNewestEventTime()).isEqualTo(Instant.ofEpochMilli(T0 - 56_000));
        assertThat(out(Topics.RECOMMENDATIONS, Recommendation.class).readKeyValuesToMap()).containsOnlyKeys("u1", "u2");
        KeyValueStore<String, IntentScore> latest = driver.getKeyValueStore(StoreNames.LATEST_SCORES);
        assertThat(latest.get("u1")).isEqualTo(u1);
        assertThat(driver.<String, Recommendation>getKeyValueStore(StoreNames.LATEST_RECOMMENDATIONS).get("u2")).isNotNull();
        assertThat(metrics.registry().get(IntentMetrics.INFERENCE_BATCH_SIZE).summary().count()).isEqualTo(1);
        assertThat(counter(IntentMetrics.EVENTS_IN, "type", "browse")).isEqualTo(6);
        tick();
        assertThat(scores.isEmpty()).as("nothing dirty, nothing scored").isTrue();
    }

    @Test
    void perEventModeScoresEveryEventForComparison() {
        start(Map.of("scoring.mode", "per-event"));
        for (int i = 0; i < 4; i++) {
            view("u1", "e" + i, T0 - 10_000 + i, vocab.get(i));
        }
        assertThat(out(Topics.SCORES, IntentScore.class).readValuesToList()).extracting(IntentScore::getSequenceLength)
                .containsExactly(1, 2, 3, 4);
    }

    @Test
    void batchSizeTriggerScoresBeforeTheIntervalWhenMaxBatchUsersAreDirty() {
        start(Map.of("scoring.max.batch", "4"));
        for (int u = 0; u < 4; u++) {
            view("u" + u, "e" + u, T0 - 1_000, vocab.get(u));
        }
        assertThat(out(Topics.SCORES, IntentScore.class).readValuesToList()).hasSize(4);
    }

    @Test
    void dropsDuplicateEventIdsAndInsertsLateEventsByEventTime() {
        start(Map.of());
        view("u1", "a", T0 - 30_000, vocab.get(0));
        view("u1", "c", T0 - 10_000, vocab.get(2));
        view("u1", "c", T0 - 5_000, vocab.get(3));
        view("u1", "b", T0 - 20_000, vocab.get(1));
        tick();
        KeyValueStore<String, BehaviorSequence> seqs = driver.getKeyValueStore(StoreNames.SEQUENCES);
        assertThat(seqs.get("u1").events()).extracting(BehaviorEvent::eventId).containsExactly("a", "b", "c");
        assertThat(seqs.get("u1").events().get(2).itemId()).isEqualTo(vocab.get(2));
        assertThat(out(Topics.SCORES, IntentScore.class).readValue().getSequenceLength()).isEqualTo(3);
    }

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
        driver.createInputTopic(Topics.BROWSE, Serdes.String().serializer(), Serdes.ByteArray().serializer())
                .pipeInput("u1", garbage);
        assertThat(counter(IntentMetrics.DLQ_RECORDS, "reason", "UNKNOWN_MAGIC_BYTE")).isEqualTo(1);
        view("u1", "ok", T0 - 1_000, vocab.get(0));
        tick();
        assertThat(out(Topics.SCORES, IntentScore.class).readValuesToList()).as("the app keeps going").hasSize(1);
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
    void everyValidationFailureIsDeadLetteredWithItsReasonAndCounted(String reason, String topic, SpecificRecord event, String key) {
        start(Map.of());
        @SuppressWarnings({"unchecked", "rawtypes"})
        byte[] bytes = IntentTopology.avro((Class) event.getClass(), registry).serializer().serialize(topic, event);
        driver.createInputTopic(topic, Serdes.String().serializer(), Serdes.ByteArray().serializer()).pipeInput(key, bytes);
        TestRecord<byte[], byte[]> dlq = deadLetters().readRecord();
        assertThat(dlq.value()).isEqualTo(bytes);
        assertThat(new String(dlq.key(), StandardCharsets.UTF_8)).isEqualTo(key);
        assertThat(header(dlq, DeadLetterReasons.HEADER)).isEqualTo(reason);
        assertThat(header(dlq, "__streams.errors.exception")).contains("InvalidEventException");
        assertThat(counter(IntentMetrics.DLQ_RECORDS, "reason", reason)).isEqualTo(1);
        tick();
        assertThat(out(Topics.SCORES, IntentScore.class).isEmpty()).isTrue();
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
    void aPriceBeyondItsSchemaPrecisionIsDeadLetteredAsPriceOutOfRange(String topic, SpecificRecord event,
            Schema schema, Consumer<GenericRecord> edit) {
        start(Map.of("scoring.mode", "per-event"));
        @SuppressWarnings({"unchecked", "rawtypes"})
        byte[] valid = IntentTopology.avro((Class) event.getClass(), registry).serializer().serialize(topic, event);
        byte[] bytes = TestEvents.rewrite(valid, schema, edit);
        driver.createInputTopic(topic, Serdes.String().serializer(), Serdes.ByteArray().serializer()).pipeInput("u1", bytes);
        TestRecord<byte[], byte[]> dlq = deadLetters().readRecord();
        assertThat(dlq.value()).isEqualTo(bytes);
        assertThat(header(dlq, DeadLetterReasons.HEADER)).isEqualTo(EventValidator.PRICE_OUT_OF_RANGE);
        assertThat(counter(IntentMetrics.DLQ_RECORDS, "reason", EventValidator.PRICE_OUT_OF_RANGE)).isEqualTo(1);
        assertThat(out(Topics.SCORES, IntentScore.class).isEmpty()).as("nothing of the event reached the state").isTrue();
        assertThat(driver.<String, BehaviorSequence>getKeyValueStore(StoreNames.SEQUENCES).get("u1")).isNull();
    }

    @Test
    void aCartWorthMoreThanTheTriggerTotalCanHoldStillFiresWithTheTotalSaturated() {
        start(Map.of("scoring.mode", "per-event", "trigger.high-intent.upper", "0.0", "trigger.high-intent.lower", "0.0"));
        // Two lines at the largest decimal(12,2) price and the largest quantity: about 2e14, beyond decimal(14,2).
        BigDecimal maxPrice = new BigDecimal("9999999999.99");
        CartEvent add = CartEvent.newBuilder(TestEvents.cart("c1", "u1", T0 - 1_000, CartAction.ADD))
                .setItems(List.of(new CartLine(vocab.get(0), null, 10_000, maxPrice),
                        new CartLine(vocab.get(1), null, 10_000, maxPrice))).build();
        in(Topics.CART, CartEvent.class).pipeInput("u1", add);
        assertThat(deadLetters().isEmpty()).isTrue();
        IntentTrigger t = out(Topics.TRIGGERS, IntentTrigger.class).readValue();
        assertThat(t.getCart().getLines()).extracting(l -> l.getQuantity()).containsExactly(10_000, 10_000);
        assertThat(t.getCart().getTotalValue()).isEqualByComparingTo("999999999999.99");
    }

    @Test
    void repeatedAddsSaturateTheLineQuantityAtTheIngestMaximum() {
        start(Map.of("ingest.max.quantity", "10"));
        for (int i = 0; i < 3; i++) {
            CartEvent add = CartEvent.newBuilder(TestEvents.cart("c" + i, "u1", T0 - 1_000 + i, CartAction.ADD))
                    .setItems(List.of(new CartLine(vocab.get(0), null, 4, new BigDecimal("1.00")))).build();
            in(Topics.CART, CartEvent.class).pipeInput("u1", add);
        }
        BehaviorSequence seq = driver.<String, BehaviorSequence>getKeyValueStore(StoreNames.SEQUENCES).get("u1");
        assertThat(seq.cart().get(vocab.get(0)).quantity()).isEqualTo(10);
    }

    @Test
    void aRecordWithoutKeyIsDeadLetteredAsMissingKeyWhenInputIsKeyedByUser() {
        start(Map.of());
        byte[] bytes = IntentTopology.avro(BrowseEvent.class, registry).serializer()
                .serialize(Topics.BROWSE, TestEvents.view("e1", "u1", T0 - 1_000, vocab.get(0), null));
        driver.createInputTopic(Topics.BROWSE, Serdes.String().serializer(), Serdes.ByteArray().serializer())
                .pipeInput((String) null, bytes);
        TestRecord<byte[], byte[]> dlq = deadLetters().readRecord();
        assertThat(dlq.key()).isNull();
        assertThat(dlq.value()).isEqualTo(bytes);
        assertThat(header(dlq, DeadLetterReasons.HEADER)).isEqualTo(EventValidator.MISSING_KEY);
        assertThat(counter(IntentMetrics.DLQ_RECORDS, "reason", EventValidator.MISSING_KEY)).isEqualTo(1);
        tick();
        assertThat(out(Topics.SCORES, IntentScore.class).isEmpty()).isTrue();
        assertThat(driver.<String, BehaviorSequence>getKeyValueStore(StoreNames.SEQUENCES).get("u1")).isNull();
    }

    @Test
    void aUserWhoseStateCannotBeDecodedIsDroppedFromScoringWhileEveryoneElseIsScored() {
        start(Map.of());
        view("u-corrupt", "e1", T0 - 3_000, vocab.get(0));
        view("u1", "e2", T0 - 2_000, vocab.get(1));
        view("u2", "e3", T0 - 1_000, vocab.get(2));
        rawSequences().put(Bytes.wrap("u-corrupt".getBytes(StandardCharsets.UTF_8)), new byte[] {9, 9, 9});
        var scores = out(Topics.SCORES, IntentScore.class);
        tick();
        assertThat(scores.readKeyValuesToMap()).containsOnlyKeys("u1", "u2");
        assertThat(metrics.registry().get(IntentMetrics.SCORING_FAILURES).counter().count()).isEqualTo(1);
        assertThat(driver.<String, Long>getKeyValueStore(StoreNames.DIRTY_USERS).get("u-corrupt")).isNull();
        assertThat(driver.<String, BehaviorSequence>getKeyValueStore(StoreNames.SEQUENCES).get("u-corrupt"))
                .as("undecodable state is deleted").isNull();
        tick();
        assertThat(metrics.registry().get(IntentMetrics.SCORING_FAILURES).counter().count()).as("not retried").isEqualTo(1);
        view("u-corrupt", "e4", T0, vocab.get(3));
        tick();
        IntentScore fresh = scores.readValue();
        assertThat(fresh.getUserId()).isEqualTo("u-corrupt");
        assertThat(fresh.getSequenceLength()).as("starts fresh").isEqualTo(1);
    }

    @SuppressWarnings("unchecked")
    KeyValueStore<Bytes, byte[]> rawSequences() {
        Object metered = driver.getKeyValueStore(StoreNames.SEQUENCES);
        return ((WrappedStateStore<KeyValueStore<Bytes, byte[]>, ?, ?>) metered).wrapped();
    }

    @Test
    void erasurePurgesAllStateAndTombstonesEveryKeyedOutput() {
        start(Map.of("scoring.mode", "per-event"));
        view("u1", "e1", T0 - 1_000, vocab.get(0));
        var scores = out(Topics.SCORES, IntentScore.class);
        var recs = out(Topics.RECOMMENDATIONS, Recommendation.class);
        var triggers = out(Topics.TRIGGERS, IntentTrigger.class);
        scores.readValuesToList();
        recs.readValuesToList();
        triggers.readValuesToList();
        driver.createInputTopic(Topics.ERASURE, Serdes.String().serializer(), Serdes.ByteArray().serializer())
                .pipeInput("u1", (byte[]) null);
        for (TestOutputTopic<String, ?> t : List.of(scores, recs, triggers)) {
            var r = t.readRecord();
            assertThat(r.key()).isEqualTo("u1");
            assertThat(r.value()).isNull();
        }
        for (String store : List.of(StoreNames.SEQUENCES, StoreNames.DIRTY_USERS, StoreNames.LATEST_SCORES,
                StoreNames.LATEST_RECOMMENDATIONS)) {
            assertThat(driver.<String, Object>getKeyValueStore(store).get("u1")).as(store).isNull();
        }
        assertThat(driver.getKeyValueStore(StoreNames.IDLE_INDEX).approximateNumEntries()).isZero();
        assertThat(metrics.registry().get(IntentMetrics.ERASURES).counter().count()).isEqualTo(1);
    }

    @Test
    void idleUsersExpireAfterTheTtlByPunctuator() {
        start(Map.of("sequence.ttl.ms", "60000"));
        view("u1", "e1", T0 - 1_000, vocab.get(0));
        tick();
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        view("u2", "e2", T0, vocab.get(1));
        driver.advanceWallClockTime(Duration.ofSeconds(49));
        KeyValueStore<String, BehaviorSequence> seqs = driver.getKeyValueStore(StoreNames.SEQUENCES);
        assertThat(seqs.get("u1")).isNotNull();
        driver.advanceWallClockTime(Duration.ofMillis(1_500));
        assertThat(seqs.get("u1")).isNull();
        assertThat(seqs.get("u2")).as("active 10 s later, not yet idle for the TTL").isNotNull();
        assertThat(driver.<String, IntentScore>getKeyValueStore(StoreNames.LATEST_SCORES).get("u1")).isNull();
        assertThat(metrics.registry().get(IntentMetrics.SEQUENCES_EXPIRED).counter().count()).isEqualTo(1);
    }

    @Test
    void cartAbandonmentFiresOncePerIdlePeriodForANonEmptyCartWithLowPurchaseProbability() {
        start(Map.of("trigger.cart-abandonment.idle.ms", "30000", "trigger.cart-abandonment.max.probability", "1.0",
                "trigger.high-intent.upper", "1.0", "trigger.high-intent.lower", "1.0"));
        in(Topics.CART, CartEvent.class).pipeInput("u1", TestEvents.cart("c1", "u1", T0 - 1_000, CartAction.ADD, vocab.get(0)));
        tick();
        var triggers = out(Topics.TRIGGERS, IntentTrigger.class);
        assertThat(triggers.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(31));
        IntentTrigger t = triggers.readValue();
        assertThat(t.getTriggerType()).isEqualTo(TriggerType.CART_ABANDONMENT_RISK);
        assertThat(t.getCart().getLines()).hasSize(1);
        assertThat(t.getCart().getTotalValue()).isEqualByComparingTo("9.50");
        assertThat(t.getTriggerId()).isEqualTo(io.intentstream.trigger.TriggerIds.of("u1", TriggerType.CART_ABANDONMENT_RISK, "c1"));
        driver.advanceWallClockTime(Duration.ofSeconds(60));
        assertThat(triggers.isEmpty()).as("once per idle period").isTrue();
        view("u1", "v2", T0 + 90_000, vocab.get(1));
        tick();
        driver.advanceWallClockTime(Duration.ofSeconds(31));
        assertThat(triggers.readValue().getTriggerType()).isEqualTo(TriggerType.CART_ABANDONMENT_RISK);
        assertThat(counter(IntentMetrics.TRIGGERS, "type", "CART_ABANDONMENT_RISK")).isEqualTo(2);
    }

    @Test
    void highIntentTriggerHasHysteresisAcrossScores() {
        // upper 0 fires on the first score; lower 0 never re-arms, so later scores stay quiet.
        start(Map.of("trigger.high-intent.upper", "0.0", "trigger.high-intent.lower", "0.0", "scoring.mode", "per-event"));
        for (int i = 0; i < 3; i++) {
            view("u1", "e" + i, T0 - 5_000 + i, vocab.get(i));
        }
        List<IntentTrigger> fired = out(Topics.TRIGGERS, IntentTrigger.class).readValuesToList();
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).getTriggerType()).isEqualTo(TriggerType.HIGH_PURCHASE_INTENT);
        assertThat(fired.get(0).getTriggerId())
                .isEqualTo(io.intentstream.trigger.TriggerIds.of("u1", TriggerType.HIGH_PURCHASE_INTENT, "e0"));
        assertThat(fired.get(0).getModelVersion()).isEqualTo(model.version());
    }

    /**
     * Real model scores for a scripted visit (per-event): views and adds push P(purchase) over 0.6
     * at e3, removing a cart line drops it below 0.55 (e10, e12). The preconditions pin those
     * scores, so a new model fails here loudly instead of passing without testing the cooldown.
     */
    @Test
    void highIntentCooldownSwallowsAReArmedCrossingUntilItHasPassed() {
        start(Map.of("trigger.high-intent.upper", "0.6", "trigger.high-intent.lower", "0.55",
                "trigger.high-intent.cooldown.ms", "600000", "scoring.mode", "per-event"));
        TestOutputTopic<String, IntentScore> scores = out(Topics.SCORES, IntentScore.class);
        TestOutputTopic<String, IntentTrigger> triggers = out(Topics.TRIGGERS, IntentTrigger.class);
        String visit = "vvavavvvvvrvR";
        double[] p = new double[visit.length() + 1];
        for (int i = 0; i < visit.length(); i++) {
            p[i] = visitStep(i, visit.charAt(i), scores);
        }
        assertThat(p[2]).isLessThan(0.6);
        assertThat(p[3]).isGreaterThanOrEqualTo(0.6);
        assertThat(p[10]).isLessThan(0.55);
        assertThat(p[11]).isGreaterThanOrEqualTo(0.6);
        assertThat(p[12]).isLessThan(0.55);
        assertThat(triggers.readValuesToList()).as("e11 re-crossed within the cooldown")
                .extracting(IntentTrigger::getTriggerId)
                .containsExactly(io.intentstream.trigger.TriggerIds.of("u1", TriggerType.HIGH_PURCHASE_INTENT, "e3"));

        driver.advanceWallClockTime(Duration.ofMinutes(11));
        p[13] = visitStep(13, 'v', scores);
        assertThat(p[13]).isGreaterThanOrEqualTo(0.6);
        assertThat(triggers.readValuesToList()).as("re-armed at e12, cooldown over").extracting(IntentTrigger::getTriggerId)
                .containsExactly(io.intentstream.trigger.TriggerIds.of("u1", TriggerType.HIGH_PURCHASE_INTENT, "e13"));
    }

    /** One step of the scripted visit: v = view, a = add to cart, r / R = remove the line added at e4 / e2. */
    private double visitStep(int i, char step, TestOutputTopic<String, IntentScore> scores) {
        long t = T0 - 600_000 + 20_000L * (i + 1);
        String id = "e" + i;
        switch (step) {
            case 'v' -> view("u1", id, t, vocab.get(i));
            case 'a' -> in(Topics.CART, CartEvent.class).pipeInput("u1", TestEvents.cart(id, "u1", t, CartAction.ADD, vocab.get(i)), t);
            case 'r' -> in(Topics.CART, CartEvent.class).pipeInput("u1", TestEvents.cart(id, "u1", t, CartAction.REMOVE, vocab.get(4)), t);
            case 'R' -> in(Topics.CART, CartEvent.class).pipeInput("u1", TestEvents.cart(id, "u1", t, CartAction.REMOVE, vocab.get(2)), t);
            default -> throw new IllegalArgumentException("step " + step);
        }
        return scores.readValue().getPurchaseProbability();
    }

    @Test
    void recommendationsExcludeCartAndPurchasedItemsAndDuplicates() {
        start(Map.of("recommend.top.n", "20"));
        var recs = out(Topics.RECOMMENDATIONS, Recommendation.class);
        for (int i = 0; i < 6; i++) {
            view("u1", "e" + i, T0 - 60_000 + i * 1_000, vocab.get(i));
        }
        tick();
        Recommendation first = recs.readValue();
        assertThat(first.getStrategy()).isEqualTo(RecommendationStrategy.MODEL);
        String inCart = first.getItems().get(0).getItemId();
        String bought = first.getItems().get(1).getItemId();
        in(Topics.CART, CartEvent.class).pipeInput("u1", TestEvents.cart("c1", "u1", T0 - 2_000, CartAction.ADD, bought));
        in(Topics.CART, CartEvent.class).pipeInput("u1", TestEvents.cart("c2", "u1", T0 - 1_500, CartAction.CHECKOUT, bought));
        in(Topics.CART, CartEvent.class).pipeInput("u1", TestEvents.cart("c3", "u1", T0 - 1_000, CartAction.ADD, inCart));
        tick();
        Recommendation after = recs.readValue();
        List<String> ids = after.getItems().stream().map(RecommendedItem::getItemId).toList();
        assertThat(ids).doesNotContain(inCart, bought).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(20);
        assertThat(after.getItems()).extracting(RecommendedItem::getRank).startsWith(1, 2);
        assertThat(after.getModelVersion()).isEqualTo(model.version());
    }

    @Test
    void coldStartUsersWithOnlyUnknownItemsGetThePopularityFallback() {
        start(Map.of());
        view("u1", "e1", T0 - 2_000, "never-seen-item");
        in(Topics.SEARCH, SearchEvent.class).pipeInput("u1", TestEvents.search("e2", "u1", T0 - 1_000, "zzqx"));
        tick();
        Recommendation r = out(Topics.RECOMMENDATIONS, Recommendation.class).readValue();
        assertThat(r.getStrategy()).isEqualTo(RecommendationStrategy.POPULARITY_FALLBACK);
        assertThat(r.getReason()).contains("popular");
        try (LiveModel.Lease l = model.lease()) {
            List<String> popular = l.model().sidecar().popularItems();
            assertThat(r.getItems()).extracting(RecommendedItem::getItemId).containsExactlyElementsOf(
                    popular.subList(0, Math.min(10, popular.size())));
        }
    }

    @Test
    void unkeyedInputIsRepartitionedByUserId() {
        start(Map.of("input.keyed.by.user", "false"));
        in(Topics.BROWSE, BrowseEvent.class).pipeInput((String) null, TestEvents.view("e1", "u9", T0 - 1_000, vocab.get(0), null));
        tick();
        assertThat(out(Topics.SCORES, IntentScore.class).readKeyValue().key).isEqualTo("u9");
        assertThat(deadLetters().isEmpty()).as("a null key is fine when input is not keyed by user").isTrue();
        assertThat(counter(IntentMetrics.DLQ_RECORDS, "reason", EventValidator.MISSING_KEY)).isZero();
    }

    @Test
    void hotSwapInstallsAValidNewVersionAndRejectsABrokenOneWhileServing(@TempDir Path models) throws Exception {
        Path v1 = TestModels.copyModelTo(models.resolve("v1"));
        IntentMetrics swapMetrics = IntentMetrics.noop();
        try (LiveModel live = TestModels.open(Map.of("model.dir", models.toString()), swapMetrics)) {
            start(Map.of("scoring.mode", "per-event"), live);
            Path v2 = TestModels.copyModelTo(models.resolve("v2"));
            Files.setLastModifiedTime(v2.resolve("intent-model.json"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
            assertThat(live.checkForNewVersion()).isTrue();
            assertThat(swapMetrics.registry().get(IntentMetrics.MODEL_SWAPS).tag("outcome", "success").counter().count()).isEqualTo(1);
            assertThat(live.checkForNewVersion()).as("same folder again").isFalse();

            Path v3 = TestModels.copyModelTo(models.resolve("v3"));
            Files.write(v3.resolve("intent-model.onnx"), new byte[] {1, 2, 3, 4});
            Files.setLastModifiedTime(v3.resolve("intent-model.json"), FileTime.fromMillis(System.currentTimeMillis() + 120_000));
            assertThat(live.checkForNewVersion()).isFalse();
            Path v4 = TestModels.copyModelTo(models.resolve("v4"));
            String parity = Files.readString(v4.resolve("parity-fixtures.json"));
            Files.writeString(v4.resolve("parity-fixtures.json"), parity.replaceFirst("\"purchase_prob\": \\[", "\"purchase_prob\": [0.5, ")
                    .replaceFirst("\"purchase_prob\":\\[", "\"purchase_prob\":[0.5,"));
            Files.setLastModifiedTime(v4.resolve("intent-model.json"), FileTime.fromMillis(System.currentTimeMillis() + 180_000));
            assertThat(live.checkForNewVersion()).isFalse();
            assertThat(swapMetrics.registry().get(IntentMetrics.MODEL_SWAPS).tag("outcome", "rejected").counter().count()).isEqualTo(2);
            assertThat(live.isReady()).isTrue();

            view("u1", "e1", T0 - 1_000, vocab.get(0));
            assertThat(out(Topics.SCORES, IntentScore.class).readValue().getModelVersion()).isEqualTo(live.version());
            assertThat(v1).exists();
        }
    }

    TestOutputTopic<byte[], byte[]> deadLetters() {
        return driver.createOutputTopic(Topics.DEAD_LETTER, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unused")
    private static final String STREAMS_DLQ = StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG;
}
