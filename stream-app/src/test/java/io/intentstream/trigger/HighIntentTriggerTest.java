package io.intentstream.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.intent.TriggerType;
import io.intentstream.sequence.BehaviorEvent;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.StepAction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HighIntentTriggerTest {
    private final HighIntentTrigger trigger = new HighIntentTrigger(0.6, 0.4, 1_000);

    private static BehaviorSequence seq() {
        BehaviorSequence s = new BehaviorSequence();
        s.add(new BehaviorEvent("e1", 1, StepAction.VIEW, "i", "c", null), "s", 10);
        return s;
    }

    /** Runs scores through the trigger, carrying the state from one to the next; returns whether each fired. */
    private List<Boolean> run(double[] probabilities, long[] times) {
        BehaviorSequence s = seq();
        TriggerState state = TriggerState.INITIAL;
        List<Boolean> fired = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) {
            HighIntentTrigger.Evaluation e = trigger.evaluate("u", s, state, probabilities[i], times[i], "v");
            e.trigger().ifPresent(t -> assertThat(t.getTriggerType()).isEqualTo(TriggerType.HIGH_PURCHASE_INTENT));
            fired.add(e.trigger().isPresent());
            state = e.state();
        }
        return fired;
    }

    @Test
    void firesOnCrossingThenStaysQuietUntilReArmedBelowLower() {
        // below, cross, still high, between thresholds (not re-armed), high again, re-armed, cross
        assertThat(run(new double[] {0.59, 0.61, 0.9, 0.45, 0.7, 0.3, 0.7},
                new long[] {0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000}))
                .containsExactly(false, true, false, false, false, false, true);
    }

    @Test
    void cooldownSwallowsACrossingSoonAfterTheLastTrigger() {
        assertThat(run(new double[] {0.8, 0.1, 0.8, 0.1, 0.8}, new long[] {10_000, 10_100, 10_200, 11_500, 11_600}))
                .containsExactly(true, false, false, false, true);
    }

    @Test
    void theStateSaysWhatChanged() {
        BehaviorSequence s = seq();
        HighIntentTrigger.Evaluation fired = trigger.evaluate("u", s, TriggerState.INITIAL, 0.8, 10_000, "v");
        assertThat(fired.state()).isEqualTo(new TriggerState(false, 10_000));
        assertThat(fired.trigger().orElseThrow().getTriggerId())
                .isEqualTo(TriggerIds.of("u", TriggerType.HIGH_PURCHASE_INTENT, "e1"));
        assertThat(trigger.evaluate("u", s, fired.state(), 0.5, 10_100, "v").state())
                .as("between thresholds: unchanged").isEqualTo(fired.state());
        assertThat(trigger.evaluate("u", s, fired.state(), 0.1, 10_200, "v").state())
                .as("re-armed, last firing kept for the cooldown").isEqualTo(new TriggerState(true, 10_000));
        assertThat(trigger.evaluate("u", s, new TriggerState(true, 10_000), 0.9, 10_300, "v"))
                .as("a crossing inside the cooldown disarms without firing")
                .isEqualTo(new HighIntentTrigger.Evaluation(new TriggerState(false, 10_000), java.util.Optional.empty()));
    }

    @Test
    void triggerIdsAreDeterministicPerUserTypeAndEvent() {
        assertThat(TriggerIds.of("u", TriggerType.HIGH_PURCHASE_INTENT, "e1"))
                .isEqualTo(TriggerIds.of("u", TriggerType.HIGH_PURCHASE_INTENT, "e1"))
                .isNotEqualTo(TriggerIds.of("u", TriggerType.CART_ABANDONMENT_RISK, "e1"))
                .isNotEqualTo(TriggerIds.of("u", TriggerType.HIGH_PURCHASE_INTENT, "e2"));
    }
}
