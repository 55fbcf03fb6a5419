package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.config.IntentConfig;
import io.intentstream.ingest.TestEvents;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.Recommendation;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.LiveModel;
import io.intentstream.model.TestModels;
import io.intentstream.schemas.Topics;
import io.intentstream.scoring.IntentScorer;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.BehaviorSequenceCodec;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The processor alone on in-memory stores, with a scorer that can be made to fail for one user
 * (the topology builds the real one, which a test cannot make throw on demand).
 */
class IntentProcessorTest {
    static final long T0 = 1_767_600_000_000L;
    static LiveModel model;
    static List<String> vocab;

    final IntentConfig config = TestModels.config(Map.of());
    final IntentMetrics metrics = IntentMetrics.noop();
    MockProcessorContext<String, Emitted> context;

    @BeforeAll
    static void useThePackagedModel() {
        model = TestModels.packaged();
        vocab = TestModels.itemVocab(model);
    }

    @BeforeEach
    void stores() {
        context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(T0);
        store(StoreNames.SEQUENCES, Serdes.String(), BehaviorSequenceCodec.serde());
        store(StoreNames.DIRTY_USERS, Serdes.String(), Serdes.Long());
        store(StoreNames.IDLE_INDEX, Serdes.Bytes(), Serdes.ByteArray());
        store(StoreNames.ABANDONMENT_INDEX, Serdes.Bytes(), Serdes.ByteArray());
        store(StoreNames.LATEST_SCORES, Serdes.String(), RawAvroSerde.of(IntentScore.class));
        store(StoreNames.LATEST_RECOMMENDATIONS, Serdes.String(), RawAvroSerde.of(Recommendation.class));
    }

    private <K, V> void store(String name, Serde<K> keys, Serde<V> values) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    private IntentProcessor processorFailingFor(String poison) {
        IntentScorer real = new IntentScorer(model, metrics, config.scoringMaxBatch(), config.scoringPadMultiple());
        IntentProcessor p = new IntentProcessor(config, model, candidates -> {
            if (candidates.stream().anyMatch(c -> c.userId().equals(poison))) {
                throw new IllegalStateException("ORT rejected the input of " + poison);
            }
            return real.score(candidates);
        }, metrics);
        p.init(context);
        return p;
    }

    private void view(IntentProcessor p, String user, String eventId, long t) {
        p.process(new Record<>(user, TestEvents.inbound(TestEvents.view(eventId, user, t, vocab.get(0), null)), t));
    }

    private List<String> scoredUsers() {
        return context.forwarded().stream().filter(f -> Topics.SCORES.equals(f.record().value().topic()))
                .map(f -> (String) f.record().key()).toList();
    }

    private double failures() {
        return metrics.registry().get(IntentMetrics.SCORING_FAILURES).counter().count();
    }

    @Test
    void aUserWhoseScoringFailsAloneIsDroppedAndCountedWhileTheRestOfItsBatchIsScored() {
        IntentProcessor p = processorFailingFor("poison");
        view(p, "u1", "e1", T0 - 3_000);
        view(p, "poison", "e2", T0 - 2_000);
        view(p, "u2", "e3", T0 - 1_000);

        p.flush();

        assertThat(scoredUsers()).containsExactly("u1", "u2");
        assertThat(failures()).isEqualTo(1);
        assertThat(context.<KeyValueStore<String, Long>>getStateStore(StoreNames.DIRTY_USERS).get("poison")).isNull();
        assertThat(context.<KeyValueStore<String, BehaviorSequence>>getStateStore(StoreNames.SEQUENCES).get("poison"))
                .as("its state stays for its next event").isNotNull();

        context.resetForwards();
        p.flush();
        assertThat(context.forwarded()).as("the failed user is not retried every tick").isEmpty();
        assertThat(failures()).isEqualTo(1);
    }

    /**
     * Found by the chaos suite: a corrupted task is closed dirty and re-initialised on the same
     * processor instance, its stores restored from the changelog. Users dirty only in the aborted
     * work must not be scored again on their restored (already scored) sequences.
     */
    @Test
    void aRevivedTaskScoresOnlyTheUsersItsRestoredStoreSaysAreDirty() {
        IntentProcessor p = processorFailingFor("nobody");
        view(p, "u1", "e1", T0 - 2_000);
        p.flush();
        assertThat(scoredUsers()).containsExactly("u1");

        // Uncommitted work: u1's next event marks it dirty; then the task is corrupted and closed dirty.
        view(p, "u1", "e2", T0 - 1_000);
        p.close();
        // The restore brings back the committed state, in which u1 is scored and not dirty (the
        // in-memory test stores cannot roll back the sequence; the dirty set is what matters here).
        context.<KeyValueStore<String, Long>>getStateStore(StoreNames.DIRTY_USERS).delete("u1");
        context.resetForwards();

        p.init(context);
        p.flush();

        assertThat(scoredUsers()).as("scores after the revive").isEmpty();
    }

    @Test
    void theScoringFailureCounterIsRegisteredAtZero() {
        assertThat(failures()).isZero();
    }
}
