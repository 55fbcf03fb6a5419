package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentstream.config.IntentConfig;
import io.intentstream.events.CartAction;
import io.intentstream.events.CartLine;
import io.intentstream.ingest.InboundEvent;
import io.intentstream.ingest.TestEvents;
import io.intentstream.intent.IntentTrigger;
import io.intentstream.intent.TriggerType;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.LiveModel;
import io.intentstream.model.TestModels;
import io.intentstream.sequence.BehaviorEvent;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.StepAction;
import io.intentstream.schemas.Topics;
import io.intentstream.scoring.IntentScorer;
import io.intentstream.scoring.StepCache;
import io.intentstream.trigger.TriggerState;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeAll;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The processor on in-memory stores with both wall-clock punctuators driven by hand: the scoring
 * tick ({@code scoring.interval.ms}) and the idle sweep ({@code sequence.idle.check.interval.ms}).
 */
class IntentProcessorTest {
    static final long T0 = ProcessorHarness.T0;
    static LiveModel model;
    static List<String> vocab;

    final ProcessorHarness h = new ProcessorHarness();
    final IntentMetrics metrics = IntentMetrics.noop();

    @BeforeAll
    static void useThePackagedModel() {
        model = TestModels.packaged();
        vocab = TestModels.itemVocab(model);
    }

    private IntentProcessor processor(Map<String, String> overrides) {
        IntentConfig config = TestModels.config(overrides);
        IntentScorer scorer = new IntentScorer(metrics, config.scoring().maxBatch(), config.scoring().padMultiple(), new StepCache(64L << 20));
        IntentProcessor p = new IntentProcessor(config, model, ScoringRound.BatchScorer.of(scorer), metrics);
        p.init(h.context);
        return p;
    }

    private CapturedPunctuator punctuator(int i) {
        return h.context.scheduledPunctuators().get(i);
    }

    private void view(IntentProcessor p, String user, String id, long t) {
        p.process(new Record<>(user, TestEvents.inbound(TestEvents.view(id, user, t, vocab.get(0), null)), t));
    }

    @Test
    void schedulesTheScoringTickAndTheIdleSweepOnWallClockTime() {
        processor(Map.of("scoring.interval.ms", "15", "sequence.idle.check.interval.ms", "700"));
        assertThat(h.context.scheduledPunctuators()).hasSize(2);
        assertThat(punctuator(0).getInterval()).isEqualTo(Duration.ofMillis(15));
        assertThat(punctuator(1).getInterval()).isEqualTo(Duration.ofMillis(700));
        assertThat(h.context.scheduledPunctuators()).allSatisfy(c -> assertThat(c.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME));
    }

    /**
     * Found by the chaos suite: a corrupted task is closed dirty and re-initialised on the same
     * processor instance, its stores restored from the changelog. Users dirty only in the aborted
     * work must not be scored again on their restored (already scored) sequences.
     */
    @Test
    void aRevivedTaskScoresOnlyTheUsersItsRestoredStoreSaysAreDirty() {
        IntentProcessor p = processor(Map.of());
        view(p, "u1", "e1", T0 - 2_000);
        punctuator(0).getPunctuator().punctuate(T0);
        assertThat(h.forwardedTo(Topics.SCORES)).containsExactly("u1");

        // Uncommitted work: u1's next event marks it dirty; then the task is corrupted and closed dirty.
        view(p, "u1", "e2", T0 - 1_000);
        p.close();
        // The restore brings back the committed state, in which u1 is scored and not dirty (the
        // in-memory test stores cannot roll back the sequence; the dirty set is what matters here).
        BehaviorSequence committed = h.sequences().get("u1");
        KeyValueStore<String, LatestOutputs> outputs = h.context.getStateStore(StoreNames.LATEST_OUTPUTS);
        LatestOutputs scored = outputs.get("u1");
        outputs.put("u1", LatestOutputs.keepingRecommendation(committed.accepted(), scored.score(), TriggerState.INITIAL, scored));
        h.context.resetForwards();

        p.init(h.context);
        h.context.scheduledPunctuators().get(h.context.scheduledPunctuators().size() - 2).getPunctuator().punctuate(T0 + 20);

        assertThat(h.forwardedTo(Topics.SCORES)).as("scores after the revive").isEmpty();
    }

    @Test
    void anEventMarksItsShopperDirtyAndTheScoringTickScoresEachOnceOnTheNewestSequence() {
        IntentProcessor p = processor(Map.of());
        view(p, "u1", "e1", T0 - 2_000);
        view(p, "u1", "e2", T0 - 1_000);
        view(p, "u1", "e2", T0 - 1_000); // duplicate id: dropped
        assertThat(h.context.forwarded()).as("nothing before the tick").isEmpty();
        assertThat(h.owed("u1")).as("owed, by the changelogged stores").isTrue();
        assertThat(h.sequences().get("u1").lastRecordTs()).isEqualTo(T0 - 1_000);

        punctuator(0).getPunctuator().punctuate(T0);

        assertThat(h.forwardedTo(Topics.SCORES)).containsExactly("u1");
        assertThat(h.latestScore("u1").getSequenceLength()).isEqualTo(2);
        assertThat(h.owed("u1")).isFalse();
    }

    /**
     * An exception part-way through an event (here a cart line the validator would never let
     * through) is dead-lettered by the processing handler and processing goes on; the event's
     * half-applied change must not survive in the decoded copy held for a shopper owed a score.
     */
    @Test
    void anEventThatFailsPartWayLeavesNothingOfItselfInTheScoreOrTheNextEvent() {
        IntentProcessor p = processor(Map.of());
        view(p, "u1", "e1", T0 - 3_000); // owed a score: its decoded sequence is held
        List<CartLine> lines = Arrays.asList(new CartLine(vocab.get(1), null, 1, new BigDecimal("9.50")), null);
        InboundEvent broken = new InboundEvent(InboundEvent.Kind.CART, "u1", "s1",
                new BehaviorEvent("e2", T0 - 2_000, StepAction.ADD_TO_CART, vocab.get(1), null, null, 9.5f),
                CartAction.ADD, lines, "USD");
        assertThatThrownBy(() -> p.process(new Record<>("u1", broken, T0 - 2_000))).isInstanceOf(NullPointerException.class);

        punctuator(0).getPunctuator().punctuate(T0);
        assertThat(h.latestScore("u1").getSequenceLength()).as("scored on the stored sequence").isEqualTo(1);
        view(p, "u1", "e3", T0 - 1_000);
        BehaviorSequence stored = h.sequences().get("u1");
        assertThat(stored.events()).extracting(BehaviorEvent::eventId).containsExactly("e1", "e3");
        assertThat(stored.cart()).isEmpty();
        assertThat(stored.accepted()).isEqualTo(2);
    }

    @Test
    void everyEventIsScoredButRecommendationsFollowTheirCadence() {
        IntentProcessor p = processor(Map.of("recommend.interval.ms", "10000"));
        java.util.function.LongConsumer tickAt = t -> {
            h.context.setCurrentSystemTimeMs(t);
            punctuator(0).getPunctuator().punctuate(t);
        };
        view(p, "u1", "e1", T0 - 3_000);
        tickAt.accept(T0);
        view(p, "u1", "e2", T0 + 500);
        tickAt.accept(T0 + 1_000);
        assertThat(h.forwardedTo(Topics.SCORES)).hasSize(2);
        assertThat(h.forwardedTo(Topics.RECOMMENDATIONS)).as("the first score recommends, the next is within 10 s")
                .containsExactly("u1");

        p.process(new Record<>("u1", TestEvents.inbound(TestEvents.cart("c1", "u1", T0 + 1_500, CartAction.ADD,
                vocab.get(1))), T0 + 1_500));
        tickAt.accept(T0 + 2_000);
        assertThat(h.forwardedTo(Topics.RECOMMENDATIONS)).as("a cart change recommends at once").hasSize(2);

        view(p, "u1", "e4", T0 + 11_500);
        tickAt.accept(T0 + 12_000);
        assertThat(h.forwardedTo(Topics.SCORES)).hasSize(4);
        assertThat(h.forwardedTo(Topics.RECOMMENDATIONS)).as("10 s after the last one").hasSize(3);
        KeyValueStore<String, LatestOutputs> outputs = h.context.getStateStore(StoreNames.LATEST_OUTPUTS);
        assertThat(outputs.get("u1").recommendedAtMs()).isEqualTo(T0 + 12_000);
        assertThat(outputs.get("u1").scoredThrough()).isEqualTo(4);
    }

    @Test
    void theIdleSweepRaisesCartAbandonmentOnceAndLaterExpiresTheShopper() {
        IntentProcessor p = processor(Map.of("trigger.cart-abandonment.idle.ms", "60000",
                "trigger.cart-abandonment.max.probability", "1.0", "trigger.high-intent.upper", "1.0",
                "trigger.high-intent.lower", "1.0", "sequence.ttl.ms", "120000"));
        p.process(new Record<>("u1", TestEvents.inbound(TestEvents.cart("c1", "u1", T0 - 1_000, CartAction.ADD, vocab.get(0))),
                T0 - 1_000));
        punctuator(0).getPunctuator().punctuate(T0); // scored: the abandonment check needs a probability
        h.context.resetForwards();

        h.context.setCurrentSystemTimeMs(T0 + 61_000);
        punctuator(1).getPunctuator().punctuate(T0 + 61_000);
        List<Emitted<?>> out = h.forwardedValues();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).topic()).isEqualTo(Topics.TRIGGERS);
        assertThat(((IntentTrigger) out.get(0).value()).getTriggerType()).isEqualTo(TriggerType.CART_ABANDONMENT_RISK);

        h.context.resetForwards();
        punctuator(1).getPunctuator().punctuate(T0 + 62_000);
        assertThat(h.context.forwarded()).as("once per idle period").isEmpty();

        h.context.setCurrentSystemTimeMs(T0 + 121_000);
        punctuator(1).getPunctuator().punctuate(T0 + 121_000);
        assertThat(h.sequences().get("u1")).as("expired after the ttl").isNull();
        assertThat(h.latestScore("u1")).isNull();
        assertThat(metrics.registry().get(IntentMetrics.SEQUENCES_EXPIRED).counter().count()).isEqualTo(1);
    }

    @Test
    void erasurePurgesTheShopperAndTombstonesEveryKeyedOutputByType() {
        IntentProcessor p = processor(Map.of("scoring.mode", "per-event"));
        view(p, "u1", "e1", T0 - 1_000);
        assertThat(h.forwardedTo(Topics.SCORES)).as("per-event mode scores at once").containsExactly("u1");
        h.context.resetForwards();

        p.process(new Record<>("u1", InboundEvent.erasure("u1"), T0));

        assertThat(h.forwardedValues().stream().<Object>map(Emitted::topic).toList()).isEqualTo(List.copyOf(Topics.KEYED_OUTPUTS));
        assertThat(h.forwardedValues()).allSatisfy(e -> assertThat(e.value()).isNull());
        assertThat(h.sequences().get("u1")).isNull();
        assertThat(h.latestScore("u1")).isNull();
        assertThat(metrics.registry().get(IntentMetrics.ERASURES).counter().count()).isEqualTo(1);
    }
}
