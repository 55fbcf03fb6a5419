package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.trigger.TriggerState;
import org.junit.jupiter.api.Test;

class DirtyShoppersTest {
    static final long T0 = ProcessorHarness.T0;
    final ProcessorHarness h = new ProcessorHarness();

    @Test
    void keepsArrivalOrderAndTheNewestRecordTimestamp() {
        DirtyShoppers dirty = new DirtyShoppers();
        dirty.mark("u2", 200);
        dirty.mark("u1", 100);
        dirty.mark("u2", 150);
        assertThat(dirty.users()).containsExactly("u2", "u1");
        assertThat(dirty.clear("u2")).isEqualTo(200L);
        assertThat(dirty.contains("u2")).isFalse();
        assertThat(dirty.clear("never-dirty")).isNull();
    }

    /** What a restart or a move finds: only the changelogged sequences; the rest is rebuilt from them. */
    @Test
    void owedScoresAndBothIndexesAreRebuiltFromTheStoredSequences() {
        ShopperStore before = new ShopperStore(h.context);
        BehaviorSequence late = ShopperStoreTest.seen(T0, true);
        late.accept(200);
        BehaviorSequence early = ShopperStoreTest.seen(T0 + 5, false);
        early.accept(100);
        BehaviorSequence scored = ShopperStoreTest.seen(T0 + 10, true);
        scored.accept(50);
        scored.markAbandonmentChecked();
        before.recordActivity("late", late, T0);
        before.recordActivity("early", early, T0 + 5);
        before.recordActivity("scored", scored, T0 + 10);
        // Scoring writes only the outputs, which say how many events the score covered.
        before.recordScored("scored", scored, LatestOutputs.keepingRecommendation(1, ShopperStoreTest.score("scored"), TriggerState.INITIAL, null),
                false);
        before.unwatchCart("late", T0); // derived state the rebuild must replace, not keep

        DirtyShoppers dirty = new DirtyShoppers();
        ShopperStore after = before; // rebuilt over its live indexes: only what the stores say may stay
        after.rebuildDerived(dirty);

        assertThat(dirty.users()).as("oldest owed record first").containsExactly("early", "late");
        assertThat(after.idleShoppers(T0 + 10, 10)).extracting(kv -> kv.key).containsExactly("late", "early", "scored");
        assertThat(after.idleCarts(T0 + 10, 10)).as("a cart already checked this idle period is not watched again")
                .extracting(kv -> kv.key).containsExactly("late");
    }
}
