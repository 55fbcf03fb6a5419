package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentstream.config.IntentConfig;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.IntentModel;
import io.intentstream.model.LiveModel;
import io.intentstream.model.TestModels;
import io.intentstream.schemas.Topics;
import io.intentstream.scoring.IntentScorer;
import io.intentstream.topology.ScoringRound.BatchScorer;
import io.intentstream.scoring.StepCache;
import io.intentstream.sequence.BehaviorEvent;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.LegacySequences;
import io.intentstream.sequence.StepAction;
import io.intentstream.trigger.TriggerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scoring round alone on in-memory stores, with the real model behind a scorer that can be
 * made to fail for one user (the topology builds the real one, which a test cannot make throw on demand).
 */
class ScoringRoundTest {
    static LiveModel model;
    static List<String> vocab;

    final ProcessorHarness h = new ProcessorHarness();
    final IntentConfig config = TestModels.config(Map.of("scoring.max.batch", "2"));
    final IntentMetrics metrics = IntentMetrics.noop();
    final IntentScorer real = new IntentScorer(metrics, 2, config.scoring().padMultiple(), new StepCache(64L << 20));
    final List<IntentModel> modelsSeen = new ArrayList<>();
    ShopperStore shoppers;
    DirtyShoppers dirty;

    @BeforeAll
    static void useThePackagedModel() {
        model = TestModels.packaged();
        vocab = TestModels.itemVocab(model);
    }

    private ScoringRound roundFailingFor(String poison) {
        shoppers = new ShopperStore(h.context);
        dirty = new DirtyShoppers();
        return new ScoringRound(model, (m, candidates) -> {
            modelsSeen.add(m);
            if (candidates.stream().anyMatch(c -> c.userId().equals(poison))) {
                throw new IllegalStateException("ORT rejected the input of " + poison);
            }
            return real.score(m, candidates);
        }, shoppers, dirty, new OutputAssembler(config.outputs()), new OutputForwarder(h.context, metrics), metrics,
                h.context::currentSystemTimeMs, "0_0", config.scoring().maxBatch());
    }

    private void viewed(String user, String eventId, long t) {
        BehaviorSequence seq = new BehaviorSequence();
        seq.add(new BehaviorEvent(eventId, t, StepAction.VIEW, vocab.get(0), null, null), "s", model.maxSeqLen());
        seq.lastSeenMs(t);
        shoppers.recordActivity(user, seq, t);
        dirty.mark(user, t);
    }

    private double failures() {
        return metrics.registry().get(IntentMetrics.SCORING_FAILURES).counter().count();
    }

    @Test
    void aUserWhoseScoringFailsAloneIsDroppedAndCountedWhileTheRestOfItsBatchIsScored() {
        ScoringRound round = roundFailingFor("poison");
        viewed("u1", "e1", ProcessorHarness.T0 - 3_000);
        viewed("poison", "e2", ProcessorHarness.T0 - 2_000);
        viewed("u2", "e3", ProcessorHarness.T0 - 1_000);

        round.run();

        assertThat(h.forwardedTo(Topics.SCORES)).containsExactly("u1", "u2");
        assertThat(h.forwardedTo(Topics.RECOMMENDATIONS)).containsExactly("u1", "u2");
        assertThat(failures()).isEqualTo(1);
        assertThat(dirty.contains("poison")).isFalse();
        assertThat(h.sequences().get("poison")).as("its state stays for its next event").isNotNull();
        assertThat(h.latestScore("u2")).as("latest outputs stored for queries").isNotNull();

        h.context.resetForwards();
        round.run();
        assertThat(h.context.forwarded()).as("the failed user is not retried every tick").isEmpty();
        assertThat(failures()).isEqualTo(1);
    }

    @Test
    void oneRoundScoresEveryBatchOnTheSameLeasedModel() {
        ScoringRound round = roundFailingFor("nobody");
        for (int i = 0; i < 5; i++) {
            viewed("u" + i, "e" + i, ProcessorHarness.T0 - 5_000 + i);
        }
        round.run();
        assertThat(h.forwardedTo(Topics.SCORES)).containsExactly("u0", "u1", "u2", "u3", "u4");
        assertThat(modelsSeen).as("three batches of at most 2").hasSize(3);
        assertThat(modelsSeen).allSatisfy(m -> assertThat(m).isSameAs(modelsSeen.get(0)));
        assertThat(dirty.isEmpty()).isTrue();
    }

    @Test
    void aSequenceStoredWithTheTriggerStateMovesItToTheOutputsInTheSameWrite() {
        ScoringRound round = roundFailingFor("nobody");
        long fired = ProcessorHarness.T0 - 60_000;
        BehaviorSequence old = new BehaviorSequence();
        old.add(new BehaviorEvent("e1", fired, StepAction.VIEW, vocab.get(0), null, null), "s", model.maxSeqLen());
        old.lastSeenMs(fired);
        // As a release before format 5 stored it after firing: disarmed, with its firing time.
        LegacySequences.withTrigger(old, false, fired);
        shoppers.recordActivity("old", old, fired);
        dirty.mark("old", fired);
        assertThat(h.sequences().get("old").legacyTrigger()).as("kept in format 6's legacy field").isNotNull();

        round.run();

        double p = h.latestScore("old").getPurchaseProbability();
        assertThat(p).as("precondition: a score below the re-arm bound").isLessThan(config.outputs().highIntentLower());
        assertThat(h.latest("old").trigger()).as("re-armed from the legacy state, its firing time kept for the cooldown")
                .isEqualTo(new TriggerState(true, fired));
        assertThat(h.sequences().get("old").legacyTrigger()).as("the sequence no longer holds it").isNull();
        assertThat(h.forwardedTo(Topics.TRIGGERS)).isEmpty();
    }

    @Test
    void aScoreWritesTheOutputsAndNotTheSequence() {
        ScoringRound round = roundFailingFor("nobody");
        viewed("u1", "e1", ProcessorHarness.T0 - 1_000);
        // Changed behind the round's back: the round scores its held copy, and writing that copy
        // back would replace this one.
        BehaviorSequence marker = new BehaviorSequence();
        marker.add(new BehaviorEvent("marker", 1L, StepAction.VIEW, vocab.get(1), null, null), "m", 10);
        h.sequences().put("u1", marker);

        round.run();

        assertThat(h.latest("u1").trigger()).isEqualTo(TriggerState.INITIAL);
        assertThat(h.sequences().get("u1")).as("the sequence was not written").isEqualTo(marker);
    }

    /** Forwards like the harness's context, but the first {@code failures} forwards throw (a sink's error). */
    static final class FailingSinks extends org.apache.kafka.streams.processor.api.MockProcessorContext<String, Emitted<?>> {
        int failures;
        java.util.function.Supplier<RuntimeException> failure =
                () -> new org.apache.kafka.common.errors.SerializationException("sink rejected the record");

        @Override
        public <K extends String, V extends Emitted<?>> void forward(org.apache.kafka.streams.processor.api.Record<K, V> r) {
            if (failures > 0) {
                failures--;
                throw failure.get();
            }
            super.forward(r);
        }
    }

    /** Every score fires the high-intent trigger (and disarms it); outputs go through {@code sinks}. */
    private ScoringRound firingRound(FailingSinks sinks) {
        shoppers = new ShopperStore(h.context);
        dirty = new DirtyShoppers();
        IntentConfig firing = TestModels.config(Map.of("trigger.high-intent.upper", "0.000001",
                "trigger.high-intent.lower", "0.0"));
        return new ScoringRound(model, BatchScorer.of(real), shoppers, dirty, new OutputAssembler(firing.outputs()),
                new OutputForwarder(sinks, metrics), metrics, h.context::currentSystemTimeMs, "0_0", 8);
    }

    private long triggersSent(FailingSinks sinks) {
        return sinks.forwarded().stream().filter(f -> f.record().value().topic().equals(Topics.TRIGGERS)).count();
    }

    @Test
    void aSinkFailingOnceIsRetriedAloneAndTheTriggerIsSentOnceWithItsStateStored() {
        FailingSinks sinks = new FailingSinks();
        ScoringRound round = firingRound(sinks);
        viewed("u1", "e1", ProcessorHarness.T0 - 1_000);
        sinks.failures = 1;

        round.run();

        assertThat(triggersSent(sinks)).isEqualTo(1);
        assertThat(h.latest("u1").trigger()).isEqualTo(new TriggerState(false, ProcessorHarness.T0));
        assertThat(failures()).as("the retry succeeded").isZero();
    }

    @Test
    void aShopperWhoseOutputsCannotBeSentKeepsTheStateBeforeTheScore() {
        FailingSinks sinks = new FailingSinks();
        ScoringRound round = firingRound(sinks);
        viewed("u1", "e1", ProcessorHarness.T0 - 1_000);
        sinks.failures = 2; // the batch and the retry alone

        round.run();

        assertThat(triggersSent(sinks)).isZero();
        assertThat(failures()).isEqualTo(1);
        assertThat(h.latest("u1")).as("no 'fired' state stored for a trigger never sent").isNull();
    }

    @Test
    void aSinkFailureReportedByKafkaStreamsFailsTheRoundAndTheShopperStaysOwed() {
        // A sink node whose record cannot be serialized (a registry outage) throws this out of forward().
        FailingSinks sinks = new FailingSinks();
        sinks.failure = () -> new org.apache.kafka.streams.errors.StreamsException("Unable to serialize record",
                new org.apache.kafka.common.errors.SerializationException("registry unavailable"));
        ScoringRound round = firingRound(sinks);
        viewed("u1", "e1", ProcessorHarness.T0 - 1_000);
        sinks.failures = 1;

        assertThatThrownBy(round::run).isInstanceOf(org.apache.kafka.streams.errors.StreamsException.class);

        assertThat(failures()).as("not given up on as the user's own failure").isZero();
        assertThat(h.latest("u1")).as("nothing stored: the aborted transaction reads the input again").isNull();
        assertThat(dirty.contains("u1")).as("still owed a score").isTrue();
        round.run();
        assertThat(triggersSent(sinks)).isEqualTo(1);
        assertThat(dirty.contains("u1")).isFalse();
    }

    @Test
    void aRoundWithNobodyDirtyCallsNoModel() {
        roundFailingFor("nobody").run();
        assertThat(modelsSeen).isEmpty();
        assertThat(h.context.forwarded()).isEmpty();
    }

    @Test
    void theScoringFailureCounterIsRegisteredAtZero() {
        assertThat(failures()).isZero();
    }
}
