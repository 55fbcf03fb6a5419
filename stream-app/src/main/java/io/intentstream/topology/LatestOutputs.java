package io.intentstream.topology;

import io.intentstream.bytes.ByteSink;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.Recommendation;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A shopper's latest score and recommendation (served by interactive queries), and how far their
 * sequence is scored: {@code scoredThrough} is the sequence's accepted-event count the score
 * covered, so a score is owed while the sequence has accepted more. One store value for all of
 * it, so a score costs exactly one changelog record and writes nothing to the sequence.
 *
 * <p>Recommendations follow a cadence (see {@code recommend.interval.ms}): a score without one
 * keeps the previous recommendation, whose bytes are carried over undecoded. Both parts decode
 * lazily: the scoring path reads only the header.
 *
 * <pre>
 * v2 := 0x02 scoredThrough:i64 recommendedAt:i64 recommendationVersion:utf score:i32-length-prefixed rec
 * v1 := 0x01 score:i32-length-prefixed rec (read as scoredThrough 0, no recommendation time)
 * </pre>
 * score and rec are {@link RawAvroSerde}'s registry-free form; rec may be empty (none yet).
 */
public final class LatestOutputs {
    private static final byte FORMAT_V1 = 1;
    private static final byte FORMAT_V2 = 2;
    private static final Serde<IntentScore> SCORES = RawAvroSerde.of(IntentScore.class);
    private static final Serde<Recommendation> RECS = RawAvroSerde.of(Recommendation.class);
    /** recommendedAtMs of outputs that carry no recommendation time: one is due at once. */
    public static final long NEVER = Long.MIN_VALUE;

    private final long scoredThrough;
    private final long recommendedAtMs;
    private final String recommendationVersion;
    private IntentScore score;
    private byte[] scoreBytes;
    private Recommendation recommendation;
    private byte[] recommendationBytes;

    private LatestOutputs(long scoredThrough, long recommendedAtMs, String recommendationVersion, IntentScore score,
                          byte[] scoreBytes, Recommendation recommendation, byte[] recommendationBytes) {
        this.scoredThrough = scoredThrough;
        this.recommendedAtMs = recommendedAtMs;
        this.recommendationVersion = recommendationVersion;
        this.score = score;
        this.scoreBytes = scoreBytes;
        this.recommendation = recommendation;
        this.recommendationBytes = recommendationBytes;
    }

    /** Outputs of a score that also made a recommendation at {@code nowMs}. */
    public static LatestOutputs of(long scoredThrough, IntentScore score, Recommendation recommendation, long nowMs) {
        return new LatestOutputs(scoredThrough, nowMs, recommendation.getModelVersion(), score, null, recommendation, null);
    }

    /** Outputs of a score without a recommendation: {@code previous}'s (if any) is kept as it is. */
    public static LatestOutputs keepingRecommendation(long scoredThrough, IntentScore score, LatestOutputs previous) {
        if (previous == null) {
            return new LatestOutputs(scoredThrough, NEVER, "", score, null, null, new byte[0]);
        }
        return new LatestOutputs(scoredThrough, previous.recommendedAtMs, previous.recommendationVersion, score, null,
                previous.recommendation, previous.recommendationBytes);
    }

    public long scoredThrough() {
        return scoredThrough;
    }

    public long recommendedAtMs() {
        return recommendedAtMs;
    }

    /** Model version of the latest recommendation; "" when there is none. */
    public String recommendationVersion() {
        return recommendationVersion;
    }

    public IntentScore score() {
        if (score == null) {
            score = SCORES.deserializer().deserialize(null, scoreBytes);
        }
        return score;
    }

    /** The latest recommendation, or null before the first. */
    public Recommendation recommendation() {
        if (recommendation == null && recommendationBytes.length > 0) {
            recommendation = RECS.deserializer().deserialize(null, recommendationBytes);
        }
        return recommendation;
    }

    /** The score in {@link RawAvroSerde}'s form, encoded once for the store and the scores topic. */
    byte[] encodedScore() {
        return scoreBytes();
    }

    /** The recommendation in {@link RawAvroSerde}'s form; empty when there is none. */
    byte[] encodedRecommendation() {
        return recommendationBytes();
    }

    private byte[] scoreBytes() {
        if (scoreBytes == null) {
            scoreBytes = SCORES.serializer().serialize(null, score);
        }
        return scoreBytes;
    }

    private byte[] recommendationBytes() {
        if (recommendationBytes == null) {
            recommendationBytes = recommendation == null ? new byte[0] : RECS.serializer().serialize(null, recommendation);
        }
        return recommendationBytes;
    }

    static Serde<LatestOutputs> serde() {
        return Serdes.serdeFrom((topic, v) -> v == null ? null : v.encode(), (topic, bytes) -> bytes == null ? null : decode(bytes));
    }

    private byte[] encode() {
        byte[] s = scoreBytes();
        byte[] r = recommendationBytes();
        ByteSink bytes = new ByteSink(32 + recommendationVersion.length() + s.length + r.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_V2);
            out.writeLong(scoredThrough);
            out.writeLong(recommendedAtMs);
            out.writeUTF(recommendationVersion);
            out.writeInt(s.length);
            out.write(s);
            out.write(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static LatestOutputs decode(byte[] bytes) {
        try {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
            byte format = in.readByte();
            if (format != FORMAT_V1 && format != FORMAT_V2) {
                throw new SerializationException("unknown latest outputs store format " + format);
            }
            long through = format == FORMAT_V2 ? in.readLong() : 0;
            long at = format == FORMAT_V2 ? in.readLong() : NEVER;
            String version = format == FORMAT_V2 ? in.readUTF() : "";
            int scoreLength = in.readInt();
            int offset = bytes.length - in.available();
            if (scoreLength < 0 || offset + scoreLength > bytes.length) {
                throw new SerializationException("latest outputs: score length " + scoreLength + " out of range");
            }
            return new LatestOutputs(through, at, version, null, Arrays.copyOfRange(bytes, offset, offset + scoreLength), null,
                    Arrays.copyOfRange(bytes, offset + scoreLength, bytes.length));
        } catch (IOException e) {
            throw new SerializationException("corrupt latest outputs: " + e.getMessage(), e);
        }
    }
}
