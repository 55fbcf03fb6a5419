package io.intentstream.sequence;

/**
 * The high-intent trigger state a sequence stored before format 5 carried (see
 * {@link BehaviorSequenceCodec}): the state lives with the latest outputs now, and moves there at
 * the shopper's next score. Its own type here, so this package does not depend on the trigger one.
 */
public record LegacyTrigger(boolean armed, long firedAtMs) {}
