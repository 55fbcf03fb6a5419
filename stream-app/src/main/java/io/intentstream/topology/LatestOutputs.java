package io.intentstream.topology;

import io.intentstream.bytes.ByteSink;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.Recommendation;
import io.intentstream.trigger.TriggerState;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A shopper's latest score and recommendation (served by interactive queries), how far their
 * sequence is scored ({@code scoredThrough}: the sequence's accepted-event count the score
 * covered, so a score is owed while the sequence has accepted more) and the high-intent
 * {@link TriggerState} after that score. One store value for all of it, so a score costs exactly
 * one changelog record and writes nothing to the sequence (but once per shopper stored before
 * sequence format 5, to drop the trigger state it carried).
 *
 * <p>Recommendations follow a cadence (see {@code recommend.interval.ms}): a score without one
 * keeps the previous recommendation, whose bytes are carried over undecoded. Both parts decode
 * lazily: the scoring path reads only the header.
 *
 * <pre>
 * v3 := 0x03 scoredThrough:i64 recommendedAt:i64 recommendationVersion:utf armed:u8 lastFiredAt:i64
 *       score:i32-length-prefixed rec
 * v2 := 0x02, v3 without the trigger state (read as unknown: the sequence's legacy state holds it)
 * v1 := 0x01 score:i32-length-prefixed rec (read as scoredThrough 0, no recommendation time)
 * </pre>
 * score and rec are {@link RawAvroSerde}'s registry-free form; rec may be empty (none yet).
 */
public final class LatestOutputs {
    private static final byte FORMAT_V1 = 1;
    private static final byte FORMAT_V2 = 2;
    private static final byte FORMAT_V3 = 3;
    private static final Serde<IntentScore> SCORES = RawAvroSerde.of(IntentScore.class, IntentScoreWriter::write);
    private static final Serde<Recommendation> RECS = RawAvroSerde.of(Recommendation.class);
    /** recommendedAtMs of outputs that carry no recommendation time: one is due at once. */
    public static final long NEVER = Long.MIN_VALUE;

    private final long scoredThrough;
    private final long recommendedAtMs;
    private final String recommendationVersion;
    /** Null when read from a format that did not hold it. */
    private final TriggerState trigger;
    private IntentScore score;
    private byte[] scoreBytes;
    private Recommendation recommendation;
    private byte[] recommendationBytes;

    private LatestOutputs(long scoredThrough, long recommendedAtMs, String recommendationVersion, TriggerState trigger,
                          IntentScore score, byte[] scoreBytes, Recommendation recommendation, byte[] recommendationBytes) {
        this.scoredThrough = scoredThrough;
        this.recommendedAtMs = recommendedAtMs;
        this.recommendationVersion = recommendationVersion;
        this.trigger = trigger;
        this.score = score;
        this.scoreBytes = scoreBytes;
        this.recommendation = recommendation;
        this.recommendationBytes = recommendationBytes;
    }

    /** Outputs of a score that also made a recommendation at {@code nowMs}. */
    public static LatestOutputs of(long scoredThrough, IntentScore score, Recommendation recommendation,
                                   TriggerState trigger, long nowMs) {
        return new LatestOutputs(scoredThrough, nowMs, recommendation.getModelVersion(), Objects.requireNonNull(trigger),
                score, null, recommendation, null);
    }

    /** Outputs of a score without a recommendation: {@code previous}'s (if any) is kept as it is. */
    public static LatestOutputs keepingRecommendation(long scoredThrough, IntentScore score, TriggerState trigger,
                                                      LatestOutputs previous) {
        Objects.requireNonNull(trigger);
        if (previous == null) {
            return new LatestOutputs(scoredThrough, NEVER, "", trigger, score, null, null, new byte[0]);
        }
        return new LatestOutputs(scoredThrough, previous.recommendedAtMs, previous.recommendationVersion, trigger, score,
                null, previous.recommendation, previous.recommendationBytes);
    }

    public long scoredThrough() {
        return scoredThrough;
    }

    /** The trigger state after the latest score; null when stored before format 3 (see the sequence's legacy state). */
    public TriggerState trigger() {
        return trigger;
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
        ByteSink bytes = new ByteSink(41 + recommendationVersion.length() + s.length + r.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (trigger == null) {
                // Only a value read from v1/v2 lacks it; writing INITIAL would override the sequence's legacy state.
                throw new IllegalStateException("latest outputs without a trigger state cannot be written");
            }
            out.writeByte(FORMAT_V3);
            out.writeLong(scoredThrough);
            out.writeLong(recommendedAtMs);
            out.writeUTF(recommendationVersion);
            out.writeByte(trigger.armed() ? 1 : 0);
            out.writeLong(trigger.lastFiredAtMs());
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
            if (format < FORMAT_V1 || format > FORMAT_V3) {
                throw new SerializationException("unknown latest outputs store format " + format);
            }
            long through = format >= FORMAT_V2 ? in.readLong() : 0;
            long at = format >= FORMAT_V2 ? in.readLong() : NEVER;
            String version = format >= FORMAT_V2 ? in.readUTF() : "";
            TriggerState trigger = format >= FORMAT_V3 ? new TriggerState((in.readByte() & 1) != 0, in.readLong()) : null;
            int scoreLength = in.readInt();
            int offset = bytes.length - in.available();
            if (scoreLength < 0 || offset + scoreLength > bytes.length) {
                throw new SerializationException("latest outputs: score length " + scoreLength + " out of range");
            }
            return new LatestOutputs(through, at, version, trigger, null,
                    Arrays.copyOfRange(bytes, offset, offset + scoreLength), null,
                    Arrays.copyOfRange(bytes, offset + scoreLength, bytes.length));
        } catch (IOException e) {
            throw new SerializationException("corrupt latest outputs: " + e.getMessage(), e);
        }
    }
}
