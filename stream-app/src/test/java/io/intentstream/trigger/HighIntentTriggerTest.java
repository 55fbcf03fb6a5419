package io.intentstream.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.intent.TriggerType;
import io.intentstream.sequence.BehaviorEvent;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.StepAction;
import org.junit.jupiter.api.Test;

class HighIntentTriggerTest {
    private final HighIntentTrigger trigger = new HighIntentTrigger(0.6, 0.4, 1_000);

    private static BehaviorSequence seq() {
        BehaviorSequence s = new BehaviorSequence();
        s.add(new BehaviorEvent("e1", 1, StepAction.VIEW, "i", "c", null), "s", 10);
        return s;
    }

    @Test
    void firesOnCrossingThenStaysQuietUntilReArmedBelowLower() {
        BehaviorSequence s = seq();
        assertThat(trigger.evaluate("u", s, 0.59, 0, "v")).isEmpty();
        assertThat(trigger.evaluate("u", s, 0.61, 10_000, "v")).get()
                .satisfies(t -> assertThat(t.getTriggerType()).isEqualTo(TriggerType.HIGH_PURCHASE_INTENT));
        assertThat(trigger.evaluate("u", s, 0.9, 20_000, "v")).isEmpty();
        assertThat(trigger.evaluate("u", s, 0.45, 30_000, "v")).isEmpty(); // between thresholds: not re-armed
        assertThat(trigger.evaluate("u", s, 0.7, 40_000, "v")).isEmpty();
        assertThat(trigger.evaluate("u", s, 0.3, 50_000, "v")).isEmpty(); // re-armed
        assertThat(trigger.evaluate("u", s, 0.7, 60_000, "v")).isPresent();
    }

    @Test
    void cooldownSwallowsACrossingSoonAfterTheLastTrigger() {
        BehaviorSequence s = seq();
        assertThat(trigger.evaluate("u", s, 0.8, 10_000, "v")).isPresent();
        trigger.evaluate("u", s, 0.1, 10_100, "v");
        assertThat(trigger.evaluate("u", s, 0.8, 10_200, "v")).isEmpty();
        trigger.evaluate("u", s, 0.1, 11_500, "v");
        assertThat(trigger.evaluate("u", s, 0.8, 11_600, "v")).isPresent();
    }

    @Test
    void triggerIdsAreDeterministicPerUserTypeAndEvent() {
        assertThat(TriggerIds.of("u", TriggerType.HIGH_PURCHASE_INTENT, "e1"))
                .isEqualTo(TriggerIds.of("u", TriggerType.HIGH_PURCHASE_INTENT, "e1"))
                .isNotEqualTo(TriggerIds.of("u", TriggerType.CART_ABANDONMENT_RISK, "e1"))
                .isNotEqualTo(TriggerIds.of("u", TriggerType.HIGH_PURCHASE_INTENT, "e2"));
    }
}
