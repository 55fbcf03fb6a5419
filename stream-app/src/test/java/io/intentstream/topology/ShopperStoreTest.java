package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentstream.intent.IntentScore;
import io.intentstream.sequence.BehaviorEvent;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.LegacySequences;
import io.intentstream.sequence.StepAction;
import io.intentstream.trigger.TriggerState;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.junit.jupiter.api.Test;

/** The per-shopper state alone: the sequence and its two time indexes change together. */
class ShopperStoreTest {
    static final long T0 = ProcessorHarness.T0;
    final ProcessorHarness h = new ProcessorHarness();
    final ShopperStore store = new ShopperStore(h.context);

    static BehaviorSequence seen(long t, boolean withCart) {
        BehaviorSequence seq = new BehaviorSequence();
        seq.add(new BehaviorEvent("e" + t, t, StepAction.VIEW, "i1", null, null), "s", 50);
        if (withCart) {
            seq.addToCart("i1", 1, new BigDecimal("9.99"), 100);
        }
        seq.lastSeenMs(t);
        return seq;
    }

    static IntentScore score(String user) {
        return IntentScore.newBuilder().setUserId(user).setSessionId("s").setPurchaseProbability(0.3)
                .setNextAction(List.of()).setTopInfluences(List.of()).setSequenceLength(1)
                .setNewestEventTime(Instant.ofEpochMilli(T0)).setScoredAt(Instant.ofEpochMilli(T0)).setModelVersion("v").build();
    }

    @Test
    void aScoreWritesOnlyItsOutputsUnlessTheSequenceChanged() {
        BehaviorSequence seq = LegacySequences.withTrigger(seen(T0, false), false, T0 - 1);
        seq.accept(T0);
        store.recordActivity("u1", seq, T0);
        assertThat(h.owed("u1")).isTrue();

        seq.dropLegacyTrigger(); // dropped in memory, but the caller says nothing changed
        store.recordScored("u1", seq, LatestOutputs.keepingRecommendation(seq.accepted(), score("u1"), TriggerState.INITIAL,
                null), false);
        assertThat(h.sequences().get("u1").legacyTrigger()).as("the sequence was not written").isNotNull();
        assertThat(h.owed("u1")).as("the outputs say the score covered every accepted event").isFalse();

        store.recordScored("u1", seq, LatestOutputs.keepingRecommendation(seq.accepted(), score("u1"), TriggerState.INITIAL,
                null), true);
        assertThat(h.sequences().get("u1").legacyTrigger()).isNull();
    }

    @Test
    void activityMovesTheShopperInTheIdleIndexAndWatchesANonEmptyCart() {
        store.recordActivity("u1", seen(T0, true), T0);
        assertThat(store.idleShoppers(T0, 10)).containsExactly(KeyValue.pair("u1", T0));
        assertThat(store.idleCarts(T0, 10)).containsExactly(KeyValue.pair("u1", T0));

        store.recordActivity("u1", seen(T0 + 5_000, false), T0 + 5_000);
        assertThat(store.idleShoppers(T0 + 10_000, 10)).as("the old entry moved").containsExactly(KeyValue.pair("u1", T0 + 5_000));
        assertThat(store.idleCarts(T0 + 10_000, 10)).as("an empty cart is not watched").isEmpty();
        assertThat(store.read("u1").lastSeenMs()).isEqualTo(T0 + 5_000);
    }

    /** A cart check whose write fails leaves the held copy marked, the stored one not: the copy goes. */
    @Test
    @SuppressWarnings("unchecked")
    void aCartCheckWhoseWriteFailsDropsTheHeldCopy() {
        KeyValueStore<String, BehaviorSequence> real = h.sequences();
        AtomicBoolean failPuts = new AtomicBoolean();
        KeyValueStore<String, BehaviorSequence> failing = (KeyValueStore<String, BehaviorSequence>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
                    if (failPuts.get() && method.getName().equals("put")) {
                        throw new ProcessorStateException("injected: the store refuses writes");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        h.context.addStateStore(failing);
        ShopperStore shoppers = new ShopperStore(h.context);
        BehaviorSequence seq = seen(T0, true);
        seq.accept(T0);
        shoppers.recordActivity("u1", seq, T0); // owed a score: its decoded sequence is held

        failPuts.set(true);
        BehaviorSequence held = shoppers.read("u1");
        assertThatThrownBy(() -> shoppers.cartChecked("u1", held)).isInstanceOf(ProcessorStateException.class);
        failPuts.set(false);

        assertThat(shoppers.read("u1").abandonmentChecked()).as("read from the store, where the check is not recorded").isFalse();
    }

    @Test
    void purgeRemovesTheSequenceBothIndexEntriesAndTheLatestOutputs() {
        BehaviorSequence seq = seen(T0, true);
        store.recordActivity("u1", seq, T0);
        store.purge("u1");
        assertThat(store.read("u1")).isNull();
        assertThat(store.idleShoppers(Long.MAX_VALUE - 1, 10)).isEmpty();
        assertThat(store.idleCarts(Long.MAX_VALUE - 1, 10)).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUndecodableSequenceIsReadAsAbsentAndDeleted() {
        Object metered = h.context.getStateStore(StoreNames.SEQUENCES);
        assertThat(metered).isInstanceOf(WrappedStateStore.class);
        KeyValueStore<Bytes, byte[]> raw = ((WrappedStateStore<KeyValueStore<Bytes, byte[]>, ?, ?>) metered).wrapped();
        raw.put(Bytes.wrap("u1".getBytes(StandardCharsets.UTF_8)), new byte[] {9, 9, 9});
        assertThat(store.read("u1")).isNull();
        assertThat(raw.get(Bytes.wrap("u1".getBytes(StandardCharsets.UTF_8)))).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void purgeLeavesNothingOfAShopperWhoseStoredSequenceIsUndecodable() {
        store.recordActivity("u1", seen(T0, true), T0);
        Object metered = h.context.getStateStore(StoreNames.SEQUENCES);
        KeyValueStore<Bytes, byte[]> raw = ((WrappedStateStore<KeyValueStore<Bytes, byte[]>, ?, ?>) metered).wrapped();
        Bytes key = Bytes.wrap("u1".getBytes(StandardCharsets.UTF_8));
        raw.put(key, new byte[] {9, 9, 9});

        store.purge("u1"); // erasure: the sequence cannot be read, so its last activity is unknown

        assertThat(raw.get(key)).isNull();
        assertThat(store.idleShoppers(Long.MAX_VALUE - 1, 10)).isEmpty();
        assertThat(store.idleCarts(Long.MAX_VALUE - 1, 10)).isEmpty();
    }
}
