package io.intentstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.intent.ActionProbability;
import io.intentstream.intent.Influence;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.NextAction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class IntentScoreWriterTest {
    private static final String[] TEXT = {"", "u-1", "bench-12345-live-99", "shopper 42 \u00e9\u00e8", "\u5546\u54c1-\ud83d\uded2",
        "x".repeat(300)};

    private static String text(Random r) {
        return TEXT[r.nextInt(TEXT.length)] + (r.nextBoolean() ? "" : Integer.toString(r.nextInt()));
    }

    private static long anyLong(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> -1 - r.nextInt(1000);
            case 2 -> r.nextLong() >> r.nextInt(40); // Instant holds every epoch millisecond of a long
            default -> 1_764_000_000_000L + r.nextInt(1_000_000);
        };
    }

    private static IntentScore randomScore(Random r) {
        List<ActionProbability> next = new ArrayList<>();
        for (int i = r.nextInt(8); i > 0; i--) {
            next.add(new ActionProbability(NextAction.values()[r.nextInt(NextAction.values().length)], r.nextDouble()));
        }
        List<Influence> influences = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            influences.add(new Influence(text(r), text(r), r.nextBoolean() ? null : text(r), r.nextDouble()));
        }
        return IntentScore.newBuilder().setUserId(text(r)).setSessionId(r.nextBoolean() ? null : text(r))
                .setPurchaseProbability(r.nextBoolean() ? r.nextDouble() : Double.NaN).setNextAction(next)
                .setTopInfluences(influences).setSequenceLength(r.nextInt(3) == 0 ? r.nextInt() : r.nextInt(51))
                .setNewestEventTime(Instant.ofEpochMilli(anyLong(r))).setScoredAt(Instant.ofEpochMilli(anyLong(r)))
                .setModelVersion(text(r)).build();
    }

    private static byte[] avro(IntentScore s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(bytes, null);
        new SpecificDatumWriter<>(IntentScore.getClassSchema()).write(s, enc);
        enc.flush();
        return bytes.toByteArray();
    }

    private static byte[] ours(IntentScore s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(bytes, null);
        IntentScoreWriter.write(s, enc);
        enc.flush();
        return bytes.toByteArray();
    }

    @Test
    void writesTheBytesAvrosWriterWritesForRandomScores() throws IOException {
        Random r = new Random(20261202);
        for (int i = 0; i < 2_000; i++) {
            IntentScore s = randomScore(r);
            assertThat(ours(s)).as("score %d: %s", i, s).isEqualTo(avro(s));
        }
    }

    @Test
    void theStoreSerdeRoundTripsThroughAvrosReader() {
        IntentScore s = randomScore(new Random(7));
        var serde = RawAvroSerde.of(IntentScore.class, IntentScoreWriter::write);
        byte[] bytes = serde.serializer().serialize("t", s);
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(s);
        assertThat(bytes).isEqualTo(RawAvroSerde.of(IntentScore.class).serializer().serialize("t", s));
    }
}
