package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.config.IntentConfig;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.LiveModel;
import io.intentstream.model.TestModels;
import io.intentstream.schemas.Topics;
import io.intentstream.scoring.IntentScorer;
import io.intentstream.scoring.StepCache;
import io.intentstream.sequence.BehaviorEvent;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.StepAction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A scoring round yields after its time budget: after a restore with very many users owed a score,
 * one punctuation must stay far below {@code max.poll.interval.ms} and the transaction timeout.
 */
class ScoringRoundBudgetTest {
    static LiveModel model;
    static List<String> vocab;

    final ProcessorHarness h = new ProcessorHarness();
    final IntentConfig config = TestModels.config(Map.of());
    final IntentMetrics metrics = IntentMetrics.noop();
    final ShopperStore shoppers = new ShopperStore(h.context);
    final DirtyShoppers dirty = new DirtyShoppers();

    @BeforeAll
    static void useThePackagedModel() {
        model = TestModels.packaged();
        vocab = TestModels.itemVocab(model);
    }

    private ScoringRound round(int maxBatch, Duration budget, java.util.function.LongSupplier nanos,
                               ScoringRound.BatchScorer scorer) {
        return new ScoringRound(model, scorer, shoppers, dirty, new OutputAssembler(config.outputs()),
                new RecommendationCadence(0), new OutputForwarder(h.context, metrics), metrics, h.context::currentSystemTimeMs, "0_0", maxBatch,
                budget.toNanos(), nanos);
    }

    private void owedAScore(int users) {
        for (int u = 0; u < users; u++) {
            BehaviorSequence seq = new BehaviorSequence();
            long t = ProcessorHarness.T0 - 60_000 + u % 1000;
            seq.add(new BehaviorEvent("e" + u, t, StepAction.VIEW, vocab.get(u % vocab.size()), null, null), "s",
                    model.maxSeqLen());
            seq.lastSeenMs(t);
            shoppers.recordActivity("u" + u, seq, t);
            dirty.mark("u" + u, t);
        }
    }

    @Test
    void aRoundStopsStartingBatchesAtItsBudgetAndTheNextOneGoesOnInArrivalOrder() {
        IntentScorer real = new IntentScorer(metrics, 2, config.scoring().padMultiple(), new StepCache(64L << 20));
        AtomicLong nanos = new AtomicLong();
        // Every model call "takes" one second on the fake clock; the budget is 2.5 s.
        ScoringRound round = round(2, Duration.ofMillis(2500), nanos::get, (m, candidates) -> {
            nanos.addAndGet(Duration.ofSeconds(1).toNanos());
            return real.score(m, candidates);
        });
        owedAScore(10);

        round.run();
        assertThat(h.forwardedTo(Topics.SCORES)).containsExactly("u0", "u1", "u2", "u3", "u4", "u5");
        assertThat(dirty.size()).isEqualTo(4);

        h.context.resetForwards();
        round.run();
        assertThat(h.forwardedTo(Topics.SCORES)).containsExactly("u6", "u7", "u8", "u9");
        assertThat(dirty.isEmpty()).isTrue();
    }

    @Test
    void everyRoundScoresAtLeastOneBatchSoABacklogAlwaysDrains() {
        IntentScorer real = new IntentScorer(metrics, 2, config.scoring().padMultiple(), new StepCache(64L << 20));
        ScoringRound round = round(2, Duration.ofNanos(1), System::nanoTime, real::score);
        owedAScore(3);
        round.run();
        assertThat(dirty.size()).isEqualTo(1);
    }

    @Test
    void aHundredThousandUsersOwedAScoreAreWorkedOffInRoundsThatEachKeepToTheBudget() {
        int users = 100_000;
        Duration budget = Duration.ofMillis(500);
        IntentScorer real = new IntentScorer(metrics, config.scoring().maxBatch(), config.scoring().padMultiple(), new StepCache(64L << 20));
        ScoringRound round = round(config.scoring().maxBatch(), budget, System::nanoTime, real::score);
        owedAScore(users);

        long longest = 0;
        int rounds = 0;
        int scored = 0;
        for (; rounds < 5; rounds++) {
            long start = System.nanoTime();
            round.run();
            longest = Math.max(longest, System.nanoTime() - start);
            scored += h.forwardedTo(Topics.SCORES).size();
            h.context.resetForwards();
        }
        // One batch of 256 may start just before the budget ends; on this 2-core machine a batch
        // takes well under a second even when the machine is busy.
        assertThat(Duration.ofNanos(longest)).isLessThan(budget.plusSeconds(2));
        assertThat(scored).isPositive();
        assertThat(dirty.size()).isEqualTo(users - scored);
    }
}
