package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.intent.IntentTrigger;
import io.intentstream.intent.TriggerType;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.TestModels;
import io.intentstream.schemas.Topics;
import io.intentstream.intent.IntentScore;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.trigger.CartAbandonmentTrigger;
import io.intentstream.trigger.TriggerState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The idle sweep alone, its clock set by hand: abandonment once per idle period, expiry after the ttl. */
class IdleSweeperTest {
    static final long T0 = ProcessorHarness.T0;
    static final long ABANDON_AFTER = 60_000;
    static final long TTL = 120_000;

    final ProcessorHarness h = new ProcessorHarness();
    final IntentMetrics metrics = IntentMetrics.noop();
    final ShopperStore shoppers = new ShopperStore(h.context);
    final DirtyShoppers dirty = new DirtyShoppers();
    final List<String> forgotten = new ArrayList<>();
    final IdleSweeper sweeper = new IdleSweeper(shoppers, dirty, new CartAbandonmentTrigger(0.5), TestModels.packaged(),
            new OutputForwarder(h.context, metrics), metrics, h.context::currentSystemTimeMs, "0_0", ABANDON_AFTER, TTL,
            forgotten::add);

    private void shopperWithCart(String user, double lastProbability) {
        BehaviorSequence seq = ShopperStoreTest.seen(T0, true);
        seq.accept(T0);
        shoppers.recordActivity(user, seq, T0);
        IntentScore latest = ShopperStoreTest.score(user);
        latest.setPurchaseProbability(lastProbability); // the abandonment check reads the latest score's
        shoppers.recordScored(user, seq, LatestOutputs.keepingRecommendation(seq.accepted(), latest, TriggerState.INITIAL, null), false);
    }

    private void sweepAt(long now) {
        h.context.setCurrentSystemTimeMs(now);
        sweeper.sweep();
    }

    @Test
    void anIdleCartWithALowProbabilityRaisesAbandonmentOncePerIdlePeriod() {
        shopperWithCart("low", 0.1);
        shopperWithCart("high", 0.9);
        sweepAt(T0 + ABANDON_AFTER - 1);
        assertThat(h.context.forwarded()).as("not idle long enough").isEmpty();

        sweepAt(T0 + ABANDON_AFTER);
        assertThat(h.forwardedTo(Topics.TRIGGERS)).containsExactly("low");
        IntentTrigger t = (IntentTrigger) h.forwardedValues().get(0).value();
        assertThat(t.getTriggerType()).isEqualTo(TriggerType.CART_ABANDONMENT_RISK);
        assertThat(metrics.registry().get(IntentMetrics.TRIGGERS).tag("type", "CART_ABANDONMENT_RISK").counter().count())
                .isEqualTo(1);

        h.context.resetForwards();
        sweepAt(T0 + ABANDON_AFTER + 1_000);
        assertThat(h.context.forwarded()).isEmpty();
    }

    @Test
    void aShopperIdleForTheTtlLosesAllStateAndPendingWork() {
        shopperWithCart("u1", 0.9);
        dirty.mark("u1", T0);
        sweepAt(T0 + TTL);
        assertThat(shoppers.read("u1")).isNull();
        assertThat(dirty.contains("u1")).isFalse();
        assertThat(forgotten).as("the derived K/V cache goes too").containsExactly("u1");
        assertThat(metrics.registry().get(IntentMetrics.SEQUENCES_EXPIRED).counter().count()).isEqualTo(1);
    }

    @Test
    void aShopperActiveAgainIsNeitherExpiredNorFlagged() {
        shopperWithCart("u1", 0.1);
        shoppers.recordActivity("u1", ShopperStoreTest.seen(T0 + TTL, true), T0 + TTL);
        sweepAt(T0 + TTL);
        assertThat(shoppers.read("u1")).as("active again: not expired").isNotNull();
        assertThat(h.context.forwarded()).as("its cart is no longer idle").isEmpty();
    }
}
