package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.events.CartAction;
import io.intentstream.events.CartEvent;
import io.intentstream.events.CartLine;
import io.intentstream.ingest.TestEvents;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.IntentTrigger;
import io.intentstream.intent.Recommendation;
import io.intentstream.intent.RecommendationStrategy;
import io.intentstream.intent.RecommendedItem;
import io.intentstream.intent.TriggerType;
import io.intentstream.model.LiveModel;
import io.intentstream.schemas.Topics;
import io.intentstream.sequence.BehaviorSequence;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;

/** The three outputs through the whole topology: high-intent hysteresis and cooldown, cart totals, recommendation filters and the popularity fallback. */
class OutputsTopologyTest extends TopologyFixture {
    @Test
    void aCartWorthMoreThanTheTriggerTotalCanHoldStillFiresWithTheTotalSaturated() {
        start(Map.of("scoring.mode", "per-event", "trigger.high-intent.upper", "0.0", "trigger.high-intent.lower", "0.0"));
        // Two lines at the largest decimal(12,2) price and the largest quantity: about 2e14, beyond decimal(14,2).
        BigDecimal maxPrice = new BigDecimal("9999999999.99");
        CartEvent add = CartEvent.newBuilder(TestEvents.cart("c1", "u1", T0 - 1_000, CartAction.ADD))
                .setItems(List.of(new CartLine(vocab.get(0), null, 10_000, maxPrice),
                        new CartLine(vocab.get(1), null, 10_000, maxPrice))).build();
        in(Topics.CART).pipeInput("u1", add);
        assertThat(deadLetters().isEmpty()).isTrue();
        IntentTrigger t = out(Topics.TRIGGERS).readValue();
        assertThat(t.getCart().getLines()).extracting(l -> l.getQuantity()).containsExactly(10_000, 10_000);
        assertThat(t.getCart().getTotalValue()).isEqualByComparingTo("999999999999.99");
    }

    @Test
    void repeatedAddsSaturateTheLineQuantityAtTheIngestMaximum() {
        start(Map.of("ingest.max.quantity", "10"));
        for (int i = 0; i < 3; i++) {
            CartEvent add = CartEvent.newBuilder(TestEvents.cart("c" + i, "u1", T0 - 1_000 + i, CartAction.ADD))
                    .setItems(List.of(new CartLine(vocab.get(0), null, 4, new BigDecimal("1.00")))).build();
            in(Topics.CART).pipeInput("u1", add);
        }
        BehaviorSequence seq = driver.<String, BehaviorSequence>getKeyValueStore(StoreNames.SEQUENCES).get("u1");
        assertThat(seq.cart().get(vocab.get(0)).quantity()).isEqualTo(10);
    }

    @Test
    void highIntentTriggerHasHysteresisAcrossScores() {
        // upper 0 fires on the first score; lower 0 never re-arms, so later scores stay quiet.
        start(Map.of("trigger.high-intent.upper", "0.0", "trigger.high-intent.lower", "0.0", "scoring.mode", "per-event"));
        for (int i = 0; i < 3; i++) {
            view("u1", "e" + i, T0 - 5_000 + i, vocab.get(i));
        }
        List<IntentTrigger> fired = out(Topics.TRIGGERS).readValuesToList();
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).getTriggerType()).isEqualTo(TriggerType.HIGH_PURCHASE_INTENT);
        assertThat(fired.get(0).getTriggerId())
                .isEqualTo(io.intentstream.trigger.TriggerIds.of("u1", TriggerType.HIGH_PURCHASE_INTENT, "e0"));
        assertThat(fired.get(0).getModelVersion()).isEqualTo(model.version());
    }

    /**
     * Real model scores for a scripted visit (per-event): adds push P(purchase) over 0.6 at e3;
     * removing lines drops it below 0.5 (e11), three adds bring it back over 0.6 in between (e15),
     * removes drop it below 0.5 again (e17) and it stays under 0.6 up to e23; an add after the
     * cooldown crosses again at e24. The preconditions pin those scores, so a new model fails here
     * loudly instead of passing without testing the cooldown.
     */
    @Test
    void highIntentCooldownSwallowsAReArmedCrossingUntilItHasPassed() {
        start(Map.of("trigger.high-intent.upper", "0.6", "trigger.high-intent.lower", "0.5",
                "trigger.high-intent.cooldown.ms", "600000", "scoring.mode", "per-event"));
        TestOutputTopic<String, IntentScore> scores = out(Topics.SCORES);
        TestOutputTopic<String, IntentTrigger> triggers = out(Topics.TRIGGERS);
        String visit = "vvaaaavvvrrrraaaRRRvvvaaa";
        double[] p = new double[visit.length()];
        for (int i = 0; i <= 23; i++) {
            p[i] = visitStep(i, visit.charAt(i), scores);
        }
        assertThat(p[2]).isLessThan(0.6);
        assertThat(p[3]).isGreaterThanOrEqualTo(0.6);
        assertThat(p[11]).isLessThan(0.5);
        assertThat(p[15]).isGreaterThanOrEqualTo(0.6);
        assertThat(p[17]).isLessThan(0.5);
        assertThat(Arrays.stream(p, 18, 24).max().orElseThrow()).isLessThan(0.6);
        assertThat(triggers.readValuesToList()).as("e15 re-crossed within the cooldown")
                .extracting(IntentTrigger::getTriggerId)
                .containsExactly(io.intentstream.trigger.TriggerIds.of("u1", TriggerType.HIGH_PURCHASE_INTENT, "e3"));

        driver.advanceWallClockTime(Duration.ofMinutes(11));
        p[24] = visitStep(24, visit.charAt(24), scores);
        assertThat(p[24]).isGreaterThanOrEqualTo(0.6);
        assertThat(triggers.readValuesToList()).as("re-armed at e17, cooldown over").extracting(IntentTrigger::getTriggerId)
                .containsExactly(io.intentstream.trigger.TriggerIds.of("u1", TriggerType.HIGH_PURCHASE_INTENT, "e24"));
    }

    private double visitStep(int i, char step, TestOutputTopic<String, IntentScore> scores) {
        long t = T0 - 600_000 + 20_000L * (i + 1);
        String id = "e" + i;
        switch (step) {
            case 'v' -> view("u1", id, t, vocab.get(i));
            case 'a' -> in(Topics.CART).pipeInput("u1", TestEvents.cart(id, "u1", t, CartAction.ADD, vocab.get(i)), t);
            case 'r' -> in(Topics.CART).pipeInput("u1", TestEvents.cart(id, "u1", t, CartAction.REMOVE, vocab.get(4)), t);
            case 'R' -> in(Topics.CART).pipeInput("u1", TestEvents.cart(id, "u1", t, CartAction.REMOVE, vocab.get(2)), t);
            default -> throw new IllegalArgumentException("step " + step);
        }
        return scores.readValue().getPurchaseProbability();
    }

    @Test
    void recommendationsExcludeCartAndPurchasedItemsAndDuplicates() {
        start(Map.of("recommend.top.n", "20"));
        var recs = out(Topics.RECOMMENDATIONS);
        for (int i = 0; i < 6; i++) {
            view("u1", "e" + i, T0 - 60_000 + i * 1_000, vocab.get(i));
        }
        tick();
        Recommendation first = recs.readValue();
        assertThat(first.getStrategy()).isEqualTo(RecommendationStrategy.MODEL);
        String inCart = first.getItems().get(0).getItemId();
        String bought = first.getItems().get(1).getItemId();
        in(Topics.CART).pipeInput("u1", TestEvents.cart("c1", "u1", T0 - 2_000, CartAction.ADD, bought));
        in(Topics.CART).pipeInput("u1", TestEvents.cart("c2", "u1", T0 - 1_500, CartAction.CHECKOUT, bought));
        in(Topics.CART).pipeInput("u1", TestEvents.cart("c3", "u1", T0 - 1_000, CartAction.ADD, inCart));
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
        in(Topics.SEARCH).pipeInput("u1", TestEvents.search("e2", "u1", T0 - 1_000, "zzqx"));
        tick();
        Recommendation r = out(Topics.RECOMMENDATIONS).readValue();
        assertThat(r.getStrategy()).isEqualTo(RecommendationStrategy.POPULARITY_FALLBACK);
        assertThat(r.getReason()).contains("popular");
        try (LiveModel.Lease l = model.lease()) {
            List<String> popular = l.model().sidecar().popularItems();
            assertThat(r.getItems()).extracting(RecommendedItem::getItemId).containsExactlyElementsOf(
                    popular.subList(0, Math.min(10, popular.size())));
        }
    }

    @Test
    void aNewItemOfAKnownCategoryGetsTheModelsRecommendationsNotThePopularityFallback() {
        start(Map.of());
        String category;
        List<String> popular;
        try (LiveModel.Lease l = model.lease()) {
            category = l.model().sidecar().categories().vocab().get(0);
            popular = l.model().sidecar().popularItems();
        }
        in(Topics.BROWSE).pipeInput("u1", TestEvents.view("e1", "u1", T0 - 1_000, "never-seen-item", category), T0 - 1_000);
        tick();
        Recommendation r = out(Topics.RECOMMENDATIONS).readValue();
        assertThat(r.getStrategy()).isEqualTo(RecommendationStrategy.MODEL);
        assertThat(r.getItems()).extracting(RecommendedItem::getItemId)
                .isNotEqualTo(popular.subList(0, Math.min(r.getItems().size(), popular.size())));
    }
}
