package io.intentstream.sequence;

/** Sequences as a release before format 5 stored them: with the trigger state in the sequence. */
public final class LegacySequences {
    private LegacySequences() {}

    public static BehaviorSequence withTrigger(BehaviorSequence seq, boolean armed, long firedAtMs) {
        seq.legacyTrigger = new LegacyTrigger(armed, firedAtMs);
        return seq;
    }
}
