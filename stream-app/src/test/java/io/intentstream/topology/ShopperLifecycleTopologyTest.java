package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.events.CartAction;
import io.intentstream.ingest.TestEvents;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.IntentTrigger;
import io.intentstream.intent.TriggerType;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.schemas.Topics;
import io.intentstream.sequence.BehaviorSequence;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** A shopper's state over time through the whole topology: erasure, idle expiry and cart abandonment, driven by wall-clock punctuation. */
class ShopperLifecycleTopologyTest extends TopologyFixture {
    @Test
    void erasurePurgesAllStateAndTombstonesEveryKeyedOutput() {
        start(Map.of("scoring.mode", "per-event"));
        view("u1", "e1", T0 - 1_000, vocab.get(0));
        in(Topics.CART).pipeInput("u1", TestEvents.cart("c1", "u1", T0 - 900, CartAction.ADD, vocab.get(0)));
        var scores = out(Topics.SCORES);
        var recs = out(Topics.RECOMMENDATIONS);
        var triggers = out(Topics.TRIGGERS);
        scores.readValuesToList();
        recs.readValuesToList();
        triggers.readValuesToList();
        driver.advanceWallClockTime(Duration.ofSeconds(1)); // a sweep reports the heap indexes' sizes
        assertThat(indexed(StoreNames.IDLE_INDEX)).isEqualTo(1);
        assertThat(indexed(StoreNames.ABANDONMENT_INDEX)).isEqualTo(1);
        rawInput(Topics.ERASURE)
                .pipeInput("u1", (byte[]) null);
        for (TestOutputTopic<String, ?> t : List.of(scores, recs, triggers)) {
            var r = t.readRecord();
            assertThat(r.key()).isEqualTo("u1");
            assertThat(r.value()).isNull();
        }
        for (String store : List.of(StoreNames.SEQUENCES, StoreNames.LATEST_OUTPUTS)) {
            assertThat(driver.<String, Object>getKeyValueStore(store).get("u1")).as(store).isNull();
        }
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(indexed(StoreNames.IDLE_INDEX)).isZero();
        assertThat(indexed(StoreNames.ABANDONMENT_INDEX)).isZero();
        assertThat(metrics.registry().get(IntentMetrics.ERASURES).counter().count()).isEqualTo(1);
    }

    private double indexed(String index) {
        return metrics.registry().get(IntentMetrics.STATE_STORE_ENTRIES).tag("store", index).gauge().value();
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
        assertThat(driver.<String, LatestOutputs>getKeyValueStore(StoreNames.LATEST_OUTPUTS).get("u1")).isNull();
        assertThat(metrics.registry().get(IntentMetrics.SEQUENCES_EXPIRED).counter().count()).isEqualTo(1);
    }

    @Test
    void cartAbandonmentFiresOncePerIdlePeriodForANonEmptyCartWithLowPurchaseProbability() {
        start(Map.of("trigger.cart-abandonment.idle.ms", "30000", "trigger.cart-abandonment.max.probability", "1.0",
                "trigger.high-intent.upper", "1.0", "trigger.high-intent.lower", "1.0"));
        in(Topics.CART).pipeInput("u1", TestEvents.cart("c1", "u1", T0 - 1_000, CartAction.ADD, vocab.get(0)));
        tick();
        var triggers = out(Topics.TRIGGERS);
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
}
