package io.intentstream.topology;

import io.intentstream.intent.ActionProbability;
import io.intentstream.intent.Influence;
import io.intentstream.intent.IntentScore;
import java.io.IOException;
import java.util.List;
import org.apache.avro.io.Encoder;

/**
 * Writes an {@link IntentScore} in Avro binary field by field, as {@code SpecificDatumWriter} would
 * with its schema. Every score is encoded once (the store and the topic share the bytes), and the
 * generic writer's schema walk (field lookups, logical-type conversions, union resolution by name)
 * was about 9% of the stream thread in a profile of the live benchmark. {@code IntentScoreWriterTest}
 * compares its bytes with the generic writer's on random scores, so a schema change that this
 * class does not follow fails the build.
 */
final class IntentScoreWriter {
    private IntentScoreWriter() {}

    static void write(IntentScore s, Encoder out) throws IOException {
        out.writeString(s.getUserId());
        optional(out, s.getSessionId());
        out.writeDouble(s.getPurchaseProbability());
        List<ActionProbability> next = s.getNextAction();
        out.writeArrayStart();
        out.setItemCount(next.size());
        for (ActionProbability a : next) {
            out.startItem();
            out.writeEnum(a.getAction().ordinal());
            out.writeDouble(a.getProbability());
        }
        out.writeArrayEnd();
        List<Influence> influences = s.getTopInfluences();
        out.writeArrayStart();
        out.setItemCount(influences.size());
        for (Influence i : influences) {
            out.startItem();
            out.writeString(i.getEventId());
            out.writeString(i.getEventType());
            optional(out, i.getItemId());
            out.writeDouble(i.getWeight());
        }
        out.writeArrayEnd();
        out.writeInt(s.getSequenceLength());
        out.writeLong(s.getNewestEventTime().toEpochMilli());
        out.writeLong(s.getScoredAt().toEpochMilli());
        out.writeString(s.getModelVersion());
    }

    /** A {@code ["null", "string"]} union. */
    private static void optional(Encoder out, String value) throws IOException {
        if (value == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            out.writeString(value);
        }
    }
}
