package io.intentstream.ingest;

import io.intentstream.metrics.IntentMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The {@code intentstream.dlq.reason} header added to Kafka Streams' dead-letter records, and the
 * size bound that keeps a dead letter publishable (see {@link DeadLetterBounds}).
 */
public final class DeadLetterReasons {
    public static final String HEADER = "intentstream.dlq.reason";
    /** When the record was dead-lettered (ISO-8601, UTC): the record's own timestamp is its source's. */
    public static final String AT_HEADER = "intentstream.dlq.at";
    /** The stream thread that dead-lettered it (its name holds the instance's client id), to find its log. */
    public static final String THREAD_HEADER = "intentstream.dlq.thread";
    /** Config key under which the app hands its {@code IntentMetrics} to the handlers. */
    public static final String METRICS_CONFIG = "intentstream.metrics";
    /**
     * Config key, {@code "true"} under exactly-once: dead letters are counted by the transactional
     * producer when their transaction commits ({@link DeadLetterCounts}), not by the handlers.
     */
    public static final String COUNTED_ON_COMMIT_CONFIG = "intentstream.dlq.counted.on.commit";
    /** Config key (inside the Streams config) for the largest dead-letter value kept whole. */
    public static final String MAX_VALUE_BYTES_CONFIG = "intentstream.dlq.max.value.bytes";
    public static final String UNDECODABLE = "UNDECODABLE";
    public static final String PROCESSING_ERROR = "PROCESSING_ERROR";

    private DeadLetterReasons() {}

    /** The metrics the app handed to Kafka Streams' handler config, or a no-op registry. */
    static IntentMetrics metricsFrom(Map<String, ?> configs) {
        Object m = configs.get(METRICS_CONFIG);
        return m instanceof IntentMetrics im ? im : IntentMetrics.noop();
    }

    /** Where a dead letter is counted: by the producer on commit when the app runs transactions, else at once. */
    static DeadLetterCounter counterFrom(Map<String, ?> configs) {
        IntentMetrics metrics = metricsFrom(configs);
        return "true".equals(String.valueOf(configs.get(COUNTED_ON_COMMIT_CONFIG))) ? reason -> { } : metrics::deadLetter;
    }

    /** Counts one dead letter by reason. */
    @FunctionalInterface
    interface DeadLetterCounter {
        void count(String reason);
    }

    /** The dead-letter bounds from the handler config, or the defaults. */
    static DeadLetterBounds boundsFrom(Map<String, ?> configs) {
        Object v = configs.get(MAX_VALUE_BYTES_CONFIG);
        return v == null ? DeadLetterBounds.DEFAULT : new DeadLetterBounds(Integer.parseInt(v.toString().trim()));
    }

    /**
     * The handler's dead-letter records with the reason, time and thread headers added and every record cut down to
     * {@code bounds}; counts the dead letter by reason.
     */
    static List<ProducerRecord<byte[], byte[]>> tagAndCount(List<ProducerRecord<byte[], byte[]>> records, String reason,
                                                           DeadLetterBounds bounds, DeadLetterCounter counter) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(records.size());
        for (ProducerRecord<byte[], byte[]> r : records) {
            ProducerRecord<byte[], byte[]> bounded = bounds.apply(r);
            bounded.headers().remove(HEADER); // a replayed dead letter brings its old ones along
            bounded.headers().remove(AT_HEADER);
            bounded.headers().remove(THREAD_HEADER);
            bounded.headers().add(HEADER, reason.getBytes(StandardCharsets.UTF_8));
            bounded.headers().add(AT_HEADER, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
            bounded.headers().add(THREAD_HEADER, Thread.currentThread().getName().getBytes(StandardCharsets.UTF_8));
            out.add(bounded);
        }
        counter.count(reason);
        return out;
    }
}
