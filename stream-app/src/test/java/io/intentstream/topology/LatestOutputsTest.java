package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentstream.intent.IntentScore;
import io.intentstream.intent.Recommendation;
import io.intentstream.intent.RecommendationStrategy;
import io.intentstream.trigger.TriggerState;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class LatestOutputsTest {
    static final long T0 = ProcessorHarness.T0;
    final Serde<LatestOutputs> serde = LatestOutputs.serde();

    static Recommendation rec(String version) {
        return Recommendation.newBuilder().setUserId("u1").setItems(List.of()).setStrategy(RecommendationStrategy.MODEL).setReason("test")
                .setGeneratedAt(Instant.ofEpochMilli(T0)).setModelVersion(version).build();
    }

    private LatestOutputs roundTrip(LatestOutputs o) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", o));
    }

    @Test
    void aScoreWithoutARecommendationKeepsThePreviousOneAndItsTime() {
        LatestOutputs first = roundTrip(LatestOutputs.of(3, ShopperStoreTest.score("u1"), rec("v1"), new TriggerState(false, T0 - 5), T0));
        assertThat(first.scoredThrough()).isEqualTo(3);
        assertThat(first.recommendedAtMs()).isEqualTo(T0);
        assertThat(first.recommendationVersion()).isEqualTo("v1");
        assertThat(first.trigger()).isEqualTo(new TriggerState(false, T0 - 5));

        IntentScore newer = ShopperStoreTest.score("u1");
        newer.setPurchaseProbability(0.9);
        LatestOutputs second = roundTrip(LatestOutputs.keepingRecommendation(4, newer, TriggerState.INITIAL, first));
        assertThat(second.scoredThrough()).isEqualTo(4);
        assertThat(second.score().getPurchaseProbability()).isEqualTo(0.9);
        assertThat(second.recommendation()).isEqualTo(rec("v1"));
        assertThat(second.recommendedAtMs()).isEqualTo(T0);
        assertThat(second.trigger()).as("each score stores its own trigger state").isEqualTo(TriggerState.INITIAL);
    }

    /** Outputs as the release before stored them (format 2: no trigger state), scored through {@code through}. */
    static LatestOutputs format2(long through) {
        byte[] s = RawAvroSerde.of(IntentScore.class).serializer().serialize("t", ShopperStoreTest.score("u1"));
        ByteBuffer v2 = ByteBuffer.allocate(1 + 8 + 8 + 2 + 4 + s.length).put((byte) 2).putLong(through).putLong(T0)
                .putShort((short) 0).putInt(s.length).put(s);
        return LatestOutputs.serde().deserializer().deserialize("t", v2.array());
    }

    @Test
    void readsFormat2AsAScoreWithoutATriggerStateAndNeverWritesItBackWithout() {
        LatestOutputs old = format2(5);
        assertThatThrownBy(() -> serde.serializer().serialize("t", old)).as("INITIAL would hide the sequence's legacy state")
                .isInstanceOf(IllegalStateException.class);
        assertThat(old.scoredThrough()).isEqualTo(5);
        assertThat(old.recommendedAtMs()).isEqualTo(T0);
        assertThat(old.trigger()).as("unknown: the sequence's legacy state holds it").isNull();
        assertThat(old.score().getUserId()).isEqualTo("u1");
    }

    @Test
    void aShopperScoredBeforeAnyRecommendationHasNone() {
        LatestOutputs o = roundTrip(LatestOutputs.keepingRecommendation(1, ShopperStoreTest.score("u1"), TriggerState.INITIAL, null));
        assertThat(o.recommendation()).isNull();
        assertThat(o.recommendedAtMs()).isEqualTo(LatestOutputs.NEVER);
        assertThat(o.score().getUserId()).isEqualTo("u1");
    }

    @Test
    void readsFormat1AsNothingScoredThroughAndARecommendationDue() {
        Serde<IntentScore> scores = RawAvroSerde.of(IntentScore.class);
        byte[] s = scores.serializer().serialize("t", ShopperStoreTest.score("u1"));
        byte[] r = RawAvroSerde.of(Recommendation.class).serializer().serialize("t", rec("v0"));
        byte[] v1 = ByteBuffer.allocate(5 + s.length + r.length).put((byte) 1).putInt(s.length).put(s).put(r).array();
        LatestOutputs old = serde.deserializer().deserialize("t", v1);
        assertThat(old.scoredThrough()).isZero();
        assertThat(old.recommendedAtMs()).isEqualTo(LatestOutputs.NEVER);
        assertThat(old.score().getUserId()).isEqualTo("u1");
        assertThat(old.recommendation()).isEqualTo(rec("v0"));
    }

    @Test
    void rejectsAnUnknownFormatAndAScoreLengthBeyondTheValue() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {7, 0})).isInstanceOf(SerializationException.class);
        byte[] bad = ByteBuffer.allocate(9).put((byte) 1).putInt(100).array();
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", bad)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("out of range");
    }
}
