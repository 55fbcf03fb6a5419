package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.config.IntentConfig;
import io.intentstream.intent.ActionProbability;
import io.intentstream.intent.Influence;
import io.intentstream.intent.NextAction;
import io.intentstream.recommend.RankedItem;
import io.intentstream.model.ModelInput;
import io.intentstream.scoring.CoveredSteps;
import io.intentstream.scoring.StepCache;
import io.intentstream.scoring.UserScore;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.BehaviorSequenceCodec;
import io.intentstream.sequence.TypicalShopper;
import io.intentstream.trigger.TriggerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-shopper sizes that BENCHMARKS.md's sizing section multiplies out, measured on a shopper
 * like the live benchmark's (a full window of 50 events plus 50 evicted ids, 10 cart lines, a
 * search every 7th event) and the packaged model's cache geometry. If a format grows, this fails
 * and the sizing section must be re-derived.
 */
class StateSizeTest {
    static final long T0 = ProcessorHarness.T0;

    @Test
    void aStoredShopperTakesAboutThreeAndAHalfKilobytesAndAWarmCacheAboutTwentyFive() {
        BehaviorSequence seq = TypicalShopper.at(T0);
        int sequenceBytes = BehaviorSequenceCodec.encode(seq).length;

        List<RankedItem> top = new ArrayList<>();
        for (int k = 0; k < 50; k++) {
            top.add(new RankedItem(String.format("sku-%05d", 2000 + k), 0.01));
        }
        List<ActionProbability> next = new ArrayList<>();
        for (NextAction a : List.of(NextAction.VIEW, NextAction.SEARCH, NextAction.ADD_TO_CART, NextAction.REMOVE_FROM_CART,
                NextAction.CHECKOUT, NextAction.END_SESSION)) {
            next.add(new ActionProbability(a, 1.0 / 6));
        }
        List<Influence> influences = List.of(new Influence("bench-12345-live-99", "VIEW", "sku-00001", 0.5),
                new Influence("bench-12345-live-98", "VIEW", "sku-00002", 0.3),
                new Influence("bench-12345-live-97", "VIEW", "sku-00003", 0.2));
        UserScore score = new UserScore("bench-12345", 0.2, next, top, influences, 50, T0, true, "stream-20261201-dc0fe0b9");
        var outputs = new OutputAssembler(IntentConfig.of(Map.of()).outputs()).assemble("bench-12345", seq, TriggerState.INITIAL, score, List.of(), T0);
        byte[] latest = LatestOutputs.serde().serializer().serialize("t",
                LatestOutputs.of(seq.accepted(), outputs.score(), outputs.recommendation().orElseThrow(), outputs.triggerState(), T0));

        StepCache cache = new StepCache(Long.MAX_VALUE);
        int floats = 2 * 2 * 24 * 32; // layers x heads x (W-1) x head dim of the packaged model
        int steps = 50;
        ModelInput window = new ModelInput(new long[steps], new long[steps], new long[steps], new long[steps], new long[steps],
                new float[steps]);
        CoveredSteps covered = CoveredSteps.of(window, steps - 1, 48); // the packaged model's receptive field less one
        cache.put("bench-12345", new StepCache.Entry("stream-20261201-dc0fe0b9", covered, new float[floats], new float[floats]));

        System.out.printf("sequence %d B, latest outputs %d B, K/V cache entry %d B%n", sequenceBytes, latest.length,
                cache.bytes());
        assertThat(sequenceBytes).isBetween(2_500, 3_000); // 3,453 B before evicted ids became digests
        assertThat(latest.length).isBetween(500, 1_500);
        assertThat(cache.bytes()).isBetween(24_576L + 768, 26_000L);
    }
}
