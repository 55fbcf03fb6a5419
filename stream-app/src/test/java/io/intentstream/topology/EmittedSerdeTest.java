package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentstream.config.IntentConfig;
import io.intentstream.intent.ActionProbability;
import io.intentstream.intent.Influence;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.NextAction;
import io.intentstream.intent.Recommendation;
import io.intentstream.recommend.RankedItem;
import io.intentstream.registry.MockSchemaRegistry;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import io.intentstream.scoring.UserScore;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.BehaviorEvent;
import io.intentstream.sequence.StepAction;
import io.intentstream.trigger.TriggerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmittedSerdeTest {
    private final String scope = "emitted-" + UUID.randomUUID();
    private final Map<String, Object> registry = Map.of("schema.registry.url", "mock://" + scope);

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    private <V> byte[] viaTopicSerde(Topic<String, V> topic, V value) {
        return topic.valueSerde(registry).serializer().serialize(topic.name(), value);
    }

    private static byte[] viaSink(Topic<String, ?> topic, Emitted<?> emitted, Map<String, Object> registry) {
        Serializer<Emitted<?>> sink = EmittedSerde.of(topic, registry).serializer();
        return sink.serialize(topic.name(), emitted);
    }

    @Test
    void aScoreAndRecommendationEncodedForTheStoreReachTheirTopicsAsTheTopicSerdeWritesThem() {
        BehaviorSequence seq = new BehaviorSequence();
        seq.add(new BehaviorEvent("e1", 1_000L, StepAction.VIEW, "sku-1", "cat-1", null, 9.5f), "s1", 50);
        seq.accept(1_000L);
        List<RankedItem> top = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            top.add(new RankedItem("sku-" + (100 + k), 0.01 * (20 - k)));
        }
        UserScore s = new UserScore("u1", 0.31, List.of(new ActionProbability(NextAction.VIEW, 0.7),
                new ActionProbability(NextAction.CHECKOUT, 0.3)), top, List.of(new Influence("e1", "VIEW", "sku-1", 1.0)),
                1, 1_000L, true, "stream-test");
        var outputs = new OutputAssembler(IntentConfig.of(Map.of()).outputs()).assemble("u1", seq, TriggerState.INITIAL, s, List.of("sku-9"), 2_000L);
        Recommendation rec = outputs.recommendation().orElseThrow();
        LatestOutputs latest = LatestOutputs.of(seq.accepted(), outputs.score(), rec, outputs.triggerState(), 2_000L);

        byte[] score = viaSink(Topics.SCORES, new Emitted<>(Topics.SCORES, outputs.score(), latest.encodedScore()), registry);
        byte[] recommendation = viaSink(Topics.RECOMMENDATIONS,
                new Emitted<>(Topics.RECOMMENDATIONS, rec, latest.encodedRecommendation()), registry);

        assertThat(score).isEqualTo(viaTopicSerde(Topics.SCORES, outputs.score()));
        assertThat(recommendation).isEqualTo(viaTopicSerde(Topics.RECOMMENDATIONS, rec));
        // The sink frames the stored body, it does not encode the value again: handed another
        // score's store form, it writes that score.
        IntentScore other = IntentScore.newBuilder(outputs.score()).setPurchaseProbability(0.77).build();
        byte[] otherForm = LatestOutputs.keepingRecommendation(1, other, TriggerState.INITIAL, null).encodedScore();
        byte[] framed = viaSink(Topics.SCORES, new Emitted<>(Topics.SCORES, outputs.score(), otherForm), registry);
        assertThat(Topics.SCORES.valueSerde(registry).deserializer().deserialize(Topics.SCORES.name(), framed)
                .getPurchaseProbability()).isEqualTo(0.77);
        assertThatThrownBy(() -> viaSink(Topics.SCORES, new Emitted<>(Topics.SCORES, outputs.score(), new byte[] {7, 1}),
                registry)).isInstanceOf(org.apache.kafka.common.errors.SerializationException.class);
        assertThat(Topics.SCORES.valueSerde(registry).deserializer().deserialize(Topics.SCORES.name(), score))
                .isEqualTo(outputs.score());
    }

    @Test
    void valuesWithoutAStoreFormAreEncodedAndTombstonesStayNull() {
        IntentScore score = IntentScore.newBuilder().setUserId("u1").setSessionId(null).setPurchaseProbability(0.2)
                .setNextAction(List.of(new ActionProbability(NextAction.VIEW, 1.0))).setTopInfluences(List.of())
                .setSequenceLength(1).setNewestEventTime(java.time.Instant.ofEpochMilli(5L))
                .setScoredAt(java.time.Instant.ofEpochMilli(6L)).setModelVersion("m").build();
        assertThat(viaSink(Topics.SCORES, new Emitted<>(Topics.SCORES, score), registry))
                .isEqualTo(viaTopicSerde(Topics.SCORES, score));
        assertThat(viaSink(Topics.SCORES, Emitted.tombstone(Topics.SCORES), registry)).isNull();
    }
}
