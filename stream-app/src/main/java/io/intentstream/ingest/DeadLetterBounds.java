package io.intentstream.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Keeps a dead letter small enough to publish. A dead letter is the bad record's bytes plus error
 * headers (exception, stack trace), so a bad record near the broker's size limit produces a dead
 * letter over it; the send then fails inside the error path and used to crash-loop the stream
 * thread. A value (or key) over the bound is cut to its first bytes, and headers say so:
 * {@code intentstream.dlq.truncated} (original sizes) and {@code intentstream.dlq.value.sha256} of
 * the whole original value, so an operator can still match it to the source record (whose topic,
 * partition and offset are in Kafka Streams' own headers). Each header value is bounded too.
 */
public record DeadLetterBounds(int maxValueBytes) {
    public static final String TRUNCATED_HEADER = "intentstream.dlq.truncated";
    public static final String VALUE_SHA256_HEADER = "intentstream.dlq.value.sha256";
    /** 256 KiB: far below the producer's and the topic's 1 MB default limits, with room for headers. */
    public static final DeadLetterBounds DEFAULT = new DeadLetterBounds(256 * 1024);
    /** Stack traces and messages are diagnostics; their first 16 KiB say what happened. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int MAX_KEY_BYTES = 1024;

    public DeadLetterBounds {
        if (maxValueBytes < 1024) {
            throw new IllegalArgumentException("dlq.max.value.bytes must be >= 1024, got " + maxValueBytes);
        }
    }

    /** {@code r} itself when already within bounds, else a bounded copy. */
    ProducerRecord<byte[], byte[]> apply(ProducerRecord<byte[], byte[]> r) {
        byte[] key = r.key();
        byte[] value = r.value();
        boolean keyTooLong = key != null && key.length > MAX_KEY_BYTES;
        boolean valueTooLong = value != null && value.length > maxValueBytes;
        boolean headerTooLong = false;
        for (Header h : r.headers()) {
            headerTooLong |= h.value() != null && h.value().length > MAX_HEADER_BYTES;
        }
        if (!keyTooLong && !valueTooLong && !headerTooLong) {
            return r;
        }
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
            byte[] v = h.value();
            headers.add(h.key(), v != null && v.length > MAX_HEADER_BYTES ? Arrays.copyOf(v, MAX_HEADER_BYTES) : v);
        }
        if (keyTooLong || valueTooLong) {
            String sizes = "key=" + (key == null ? 0 : key.length) + ",value=" + (value == null ? 0 : value.length);
            headers.add(TRUNCATED_HEADER, sizes.getBytes(StandardCharsets.UTF_8));
            if (value != null) {
                headers.add(VALUE_SHA256_HEADER, sha256(value).getBytes(StandardCharsets.UTF_8));
            }
        }
        return new ProducerRecord<>(r.topic(), r.partition(), r.timestamp(),
                keyTooLong ? Arrays.copyOf(key, MAX_KEY_BYTES) : key,
                valueTooLong ? Arrays.copyOf(value, maxValueBytes) : value, headers);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
