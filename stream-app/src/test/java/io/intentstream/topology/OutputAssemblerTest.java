package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.config.IntentConfig;
import io.intentstream.intent.RecommendationStrategy;
import io.intentstream.intent.RecommendedItem;
import io.intentstream.intent.TriggerType;
import io.intentstream.recommend.RankedItem;
import io.intentstream.scoring.UserScore;
import io.intentstream.sequence.BehaviorEvent;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.LegacySequences;
import io.intentstream.sequence.StepAction;
import io.intentstream.trigger.TriggerState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The assembler alone: a score in, the three outputs out; no store, context or model. */
class OutputAssemblerTest {
    static final long NOW = 1_767_600_000_000L;
    final OutputAssembler assembler = new OutputAssembler(IntentConfig.of(Map.of("recommend.top.n", "2")).outputs());

    static BehaviorSequence sequence() {
        BehaviorSequence seq = new BehaviorSequence();
        seq.add(new BehaviorEvent("e1", NOW - 5_000, StepAction.VIEW, "i1", null, null), "s1", 50);
        return seq;
    }

    static UserScore score(double p, boolean personal) {
        return new UserScore("u1", p, List.of(), List.of(new RankedItem("i7", 0.9), new RankedItem("i8", 0.5),
                new RankedItem("i9", 0.1)), List.of(), 1, NOW - 5_000, personal, "v-test");
    }

    @Test
    void aPersonalScoreBecomesAScoreAndTheModelsFilteredTopItems() {
        BehaviorSequence seq = sequence();
        var out = assembler.assemble("u1", seq, TriggerState.INITIAL, score(0.2, true), List.of("p1", "p2"), NOW);
        assertThat(out.score().getUserId()).isEqualTo("u1");
        assertThat(out.score().getSessionId()).isEqualTo("s1");
        assertThat(out.score().getPurchaseProbability()).isEqualTo(0.2);
        assertThat(out.score().getScoredAt().toEpochMilli()).isEqualTo(NOW);
        assertThat(out.score().getModelVersion()).isEqualTo("v-test");
        assertThat(out.recommendation().orElseThrow().getStrategy()).isEqualTo(RecommendationStrategy.MODEL);
        assertThat(out.recommendation().orElseThrow().getItems()).extracting(RecommendedItem::getItemId)
                .containsExactly("i7", "i8");
        assertThat(out.trigger()).isEmpty();
        assertThat(out.triggerState()).as("armed before and after").isEqualTo(TriggerState.INITIAL);
    }

    @Test
    void aScoreWithoutTopItemsPublishesNoRecommendation() {
        UserScore noRecommendation = new UserScore("u1", 0.2, List.of(), null, List.of(), 1, NOW - 5_000, true, "v-test");
        var out = assembler.assemble("u1", sequence(), TriggerState.INITIAL, noRecommendation, List.of("p1"), NOW);
        assertThat(out.recommendation()).isEmpty();
        assertThat(out.score().getPurchaseProbability()).isEqualTo(0.2);
    }

    @Test
    void aColdStartScoreFallsBackToThePopularItemsGiven() {
        var out = assembler.assemble("u1", sequence(), TriggerState.INITIAL, score(0.2, false), List.of("p1", "p2", "p3"), NOW);
        assertThat(out.recommendation().orElseThrow().getStrategy()).isEqualTo(RecommendationStrategy.POPULARITY_FALLBACK);
        assertThat(out.recommendation().orElseThrow().getItems()).extracting(RecommendedItem::getItemId)
                .containsExactly("p1", "p2");
    }

    @Test
    void aHighScoreFiresTheHighIntentTriggerOnceUntilItFallsBelowTheLowerBound() {
        BehaviorSequence seq = sequence();
        var first = assembler.assemble("u1", seq, TriggerState.INITIAL, score(0.9, true), List.of(), NOW);
        assertThat(first.trigger()).hasValueSatisfying(t -> {
            assertThat(t.getTriggerType()).isEqualTo(TriggerType.HIGH_PURCHASE_INTENT);
            assertThat(t.getScore()).isEqualTo(0.9);
        });
        assertThat(first.triggerState()).as("disarmed and stamped").isEqualTo(new TriggerState(false, NOW));
        var second = assembler.assemble("u1", seq, first.triggerState(), score(0.95, true), List.of(), NOW + 1);
        assertThat(second.trigger()).as("disarmed until the score drops below the lower bound").isEmpty();
        assertThat(second.triggerState()).isEqualTo(first.triggerState());
    }

    @Test
    void theStateBeforeAScoreIsTheOutputsThenASequencesLegacyStateThenTheInitialOne() {
        TriggerState legacy = new TriggerState(false, NOW - 9);
        BehaviorSequence old = LegacySequences.withTrigger(sequence(), false, NOW - 9);
        LatestOutputs none = null; // before the first score
        assertThat(OutputAssembler.stateBefore(none, sequence())).isEqualTo(TriggerState.INITIAL);
        assertThat(OutputAssembler.stateBefore(none, old)).isEqualTo(legacy);
        assertThat(OutputAssembler.stateBefore(LatestOutputsTest.format2(1), old))
                .as("outputs stored before format 3 hold no state: the sequence's counts").isEqualTo(legacy);
        assertThat(OutputAssembler.stateBefore(LatestOutputsTest.format2(1), sequence())).isEqualTo(TriggerState.INITIAL);
        TriggerState stored = new TriggerState(true, NOW - 1);
        LatestOutputs scored = LatestOutputs.keepingRecommendation(1,
                assembler.assemble("u1", old, stored, score(0.2, true), List.of(), NOW).score(), stored, null);
        assertThat(OutputAssembler.stateBefore(scored, old)).as("the outputs' state wins").isEqualTo(stored);
    }
}
