package io.intentstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.intentstream.intent.Influence;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.IntentModel;
import io.intentstream.model.LiveModel;
import io.intentstream.model.TestModels;
import io.intentstream.recommend.RankedItem;
import io.intentstream.sequence.BehaviorEvent;
import io.intentstream.sequence.StepAction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The serving path of the streaming model: a warm user is scored by one step against their cache,
 * and every score equals a full recompute (prefill) from the stored events, whatever the cache saw.
 */
class IntentScorerStreamingTest {
    static final long T0 = 1_767_600_000_000L;
    static final int STORED = 50;

    final IntentMetrics metrics = IntentMetrics.noop();
    final StepCache cache = new StepCache(64L << 20);
    final IntentScorer scorer = new IntentScorer(metrics, 16, 8, cache);
    final LiveModel live = TestModels.packaged();
    final List<String> vocab = TestModels.itemVocab(live);

    @Test
    void eachNewEventIsOneStepAndEqualsAFullRecomputeBeyondTheStoredWindow() {
        List<BehaviorEvent> stored = new ArrayList<>();
        try (LiveModel.Lease lease = live.lease()) {
            for (int i = 0; i < 70; i++) {
                stored.add(event(i, T0 + 7_000L * i));
                if (stored.size() > STORED) {
                    stored.remove(0); // what BehaviorSequence keeps
                }
                assertSameAsRecompute(lease.model(), stored);
            }
        }
        assertThat(scored("prefill")).as("only the first event needs a full pass").isEqualTo(1);
        assertThat(scored("step")).isEqualTo(69);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aLateOrCoalescedEventOrAnotherModelVersionFallsBackToPrefillWithTheSameResult() {
        List<BehaviorEvent> stored = new ArrayList<>();
        try (LiveModel.Lease lease = live.lease()) {
            IntentModel m = lease.model();
            for (int i = 0; i < 5; i++) {
                stored.add(event(i, T0 + 60_000L * i));
                assertSameAsRecompute(m, stored);
            }
            stored.add(2, event(5, T0 + 90_000L));          // late: belongs between e1 and e2
            assertSameAsRecompute(m, stored);
            stored.add(event(6, T0 + 400_000L));            // two new events scored together
            stored.add(event(7, T0 + 410_000L));
            assertSameAsRecompute(m, stored);
            StepCache.Entry e = cache.get("u1");
            cache.put("u1", new StepCache.Entry("another-version", e.covered(), e.k(), e.v()));
            stored.add(event(8, T0 + 420_000L));
            assertSameAsRecompute(m, stored);
        }
        assertThat(scored("step")).isEqualTo(4);
        assertThat(scored("prefill")).as("first event, late event, two at once, other version").isEqualTo(4);
    }

    @Test
    void anEvictedOrForgottenUserIsPrefilledAgain() {
        StepCache tiny = new StepCache(40_000); // room for one user's cache
        IntentScorer small = new IntentScorer(metrics, 16, 8, tiny);
        try (LiveModel.Lease lease = live.lease()) {
            List<BehaviorEvent> a = new ArrayList<>(List.of(event(0, T0)));
            List<BehaviorEvent> b = new ArrayList<>(List.of(event(1, T0)));
            small.score(lease.model(), List.of(new IntentScorer.Candidate("a", a), new IntentScorer.Candidate("b", b)));
            assertThat(tiny.size()).isEqualTo(1);
            assertThat(tiny.bytes()).isLessThanOrEqualTo(40_000);
            small.forget("b");
            assertThat(tiny.size()).isZero();
        }
    }

    private void assertSameAsRecompute(IntentModel m, List<BehaviorEvent> stored) {
        UserScore served = scorer.score(m, List.of(new IntentScorer.Candidate("u1", List.copyOf(stored)))).get(0);
        IntentScorer cold = new IntentScorer(IntentMetrics.noop(), 16, 8, new StepCache(64L << 20));
        UserScore full = cold.score(m, List.of(new IntentScorer.Candidate("u1", List.copyOf(stored)))).get(0);
        assertThat(served.purchaseProbability()).isCloseTo(full.purchaseProbability(), within(1e-4));
        assertThat(served.topItems()).extracting(RankedItem::itemId)
                .containsExactlyElementsOf(full.topItems().stream().map(RankedItem::itemId).toList());
        for (int k = 0; k < served.topItems().size(); k++) {
            assertThat(served.topItems().get(k).score()).isCloseTo(full.topItems().get(k).score(), within(1e-4));
        }
        assertThat(served.influences()).extracting(Influence::getEventId)
                .containsExactlyElementsOf(full.influences().stream().map(Influence::getEventId).toList());
        assertThat(served.sequenceLength()).isEqualTo(stored.size());
    }

    private BehaviorEvent event(int i, long t) {
        StepAction action = i % 5 == 3 ? StepAction.ADD_TO_CART : StepAction.VIEW;
        return new BehaviorEvent("e" + i, t, action, vocab.get(i % 7), null, null, action == StepAction.ADD_TO_CART ? 12.5f : 0f);
    }

    private double scored(String graph) {
        return metrics.registry().get(IntentMetrics.SCORED_USERS).tag("graph", graph).counter().count();
    }
}
