package io.intentstream.topology;

import io.intentstream.intent.IntentScore;
import io.intentstream.intent.Recommendation;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A shopper's latest score and recommendation, served by interactive queries. One store value
 * for both, so a scored event costs one changelog record here instead of two: both always change
 * together. Stored as {@code [format][score length: int][score][recommendation]}, each part in
 * {@link RawAvroSerde}'s registry-free form.
 */
public record LatestOutputs(IntentScore score, Recommendation recommendation) {
    private static final byte FORMAT_V1 = 1;

    static Serde<LatestOutputs> serde() {
        Serde<IntentScore> scores = RawAvroSerde.of(IntentScore.class);
        Serde<Recommendation> recs = RawAvroSerde.of(Recommendation.class);
        return Serdes.serdeFrom((topic, v) -> {
            if (v == null) {
                return null;
            }
            byte[] s = scores.serializer().serialize(topic, v.score());
            byte[] r = recs.serializer().serialize(topic, v.recommendation());
            return ByteBuffer.allocate(5 + s.length + r.length).put(FORMAT_V1).putInt(s.length).put(s).put(r).array();
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length < 5 || bytes[0] != FORMAT_V1) {
                throw new SerializationException("unknown latest outputs store format");
            }
            int scoreLength = ByteBuffer.wrap(bytes, 1, 4).getInt();
            if (scoreLength < 0 || 5 + scoreLength > bytes.length) {
                throw new SerializationException("latest outputs: score length " + scoreLength + " out of range");
            }
            return new LatestOutputs(scores.deserializer().deserialize(topic, Arrays.copyOfRange(bytes, 5, 5 + scoreLength)),
                    recs.deserializer().deserialize(topic, Arrays.copyOfRange(bytes, 5 + scoreLength, bytes.length)));
        });
    }
}
