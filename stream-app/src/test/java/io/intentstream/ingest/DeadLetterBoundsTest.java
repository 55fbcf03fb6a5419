package io.intentstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentstream.metrics.IntentMetrics;
import io.intentstream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterBoundsTest {
    private final DeadLetterBounds bounds = new DeadLetterBounds(4096);

    @Test
    void aRecordWithinBoundsIsKeptAsItIs() {
        ProducerRecord<byte[], byte[]> r = record(new byte[100], "x".repeat(100));
        assertThat(bounds.apply(r)).isSameAs(r);
    }

    @Test
    void anOversizedValueIsCutAndTheHeadersSayWhatItWas() throws Exception {
        byte[] value = new byte[1_000_000];
        value[0] = 42;
        ProducerRecord<byte[], byte[]> r = record(value, "at io.intentstream.Foo\n".repeat(10_000));

        ProducerRecord<byte[], byte[]> cut = bounds.apply(r);

        assertThat(cut.topic()).isEqualTo(Topics.DEAD_LETTER.name());
        assertThat(cut.key()).isEqualTo(r.key());
        assertThat(cut.value()).hasSize(4096);
        assertThat(cut.value()[0]).isEqualTo((byte) 42);
        assertThat(header(cut, DeadLetterBounds.TRUNCATED_HEADER)).isEqualTo("key=2,value=1000000");
        assertThat(header(cut, DeadLetterBounds.VALUE_SHA256_HEADER))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value)));
        assertThat(cut.headers().lastHeader("__streams.errors.stacktrace").value()).hasSize(DeadLetterBounds.MAX_HEADER_BYTES);
        assertThat(header(cut, "__streams.errors.topic")).isEqualTo(Topics.SEARCH.name());
        int total = cut.value().length + cut.key().length;
        for (var h : cut.headers()) {
            total += h.key().length() + h.value().length;
        }
        assertThat(total).isLessThan(64 * 1024);
    }

    @Test
    void taggingBoundsEveryRecordAndAddsTheReason() {
        IntentMetrics metrics = IntentMetrics.noop();
        List<ProducerRecord<byte[], byte[]>> out = DeadLetterReasons.tagAndCount(
                List.of(record(new byte[10_000], "trace")), "query_too_long", bounds, metrics::deadLetter);
        assertThat(out.get(0).value()).hasSize(4096);
        assertThat(header(out.get(0), DeadLetterReasons.HEADER)).isEqualTo("query_too_long");
        assertThat(metrics.registry().get(IntentMetrics.DLQ_RECORDS).tag("reason", "query_too_long").counter().count())
                .isEqualTo(1);
    }

    @Test
    void tinyBoundsAreRefused() {
        assertThatThrownBy(() -> new DeadLetterBounds(10)).hasMessageContaining("dlq.max.value.bytes");
    }

    private static ProducerRecord<byte[], byte[]> record(byte[] value, String stackTrace) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("__streams.errors.topic", Topics.SEARCH.name().getBytes(StandardCharsets.UTF_8));
        headers.add("__streams.errors.stacktrace", stackTrace.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(Topics.DEAD_LETTER.name(), null, 5L, "u1".getBytes(StandardCharsets.UTF_8), value, headers);
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
