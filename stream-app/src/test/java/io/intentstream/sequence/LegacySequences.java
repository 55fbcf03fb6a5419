package io.intentstream.sequence;

import io.intentstream.trigger.TriggerState;

/** Sequences as a release before format 5 stored them: with the trigger state in the sequence. */
public final class LegacySequences {
    private LegacySequences() {}

    public static BehaviorSequence withTrigger(BehaviorSequence seq, TriggerState legacy) {
        seq.legacyTrigger = legacy;
        return seq;
    }
}
