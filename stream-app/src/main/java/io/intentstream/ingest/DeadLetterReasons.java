package io.intentstream.ingest;

import io.intentstream.metrics.IntentMetrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The {@code intentstream.dlq.reason} header added to Kafka Streams' dead-letter records. */
public final class DeadLetterReasons {
    public static final String HEADER = "intentstream.dlq.reason";
    /** Config key under which the app hands its {@code IntentMetrics} to the handlers. */
    public static final String METRICS_CONFIG = "intentstream.metrics";
    public static final String UNDECODABLE = "UNDECODABLE";
    public static final String PROCESSING_ERROR = "PROCESSING_ERROR";

    private DeadLetterReasons() {}

    /** The metrics the app handed to Kafka Streams' handler config, or a no-op registry. */
    static IntentMetrics metricsFrom(Map<String, ?> configs) {
        Object m = configs.get(METRICS_CONFIG);
        return m instanceof IntentMetrics im ? im : IntentMetrics.noop();
    }

    /** Adds the reason header to the handler's dead-letter records and counts them. */
    static void tagAndCount(List<ProducerRecord<byte[], byte[]>> records, String reason, IntentMetrics metrics) {
        tag(records, reason);
        metrics.deadLetter(reason);
    }

    private static void tag(List<ProducerRecord<byte[], byte[]>> records, String reason) {
        for (ProducerRecord<byte[], byte[]> r : records) {
            r.headers().remove(HEADER);
            r.headers().add(HEADER, reason.getBytes(StandardCharsets.UTF_8));
        }
    }
}
