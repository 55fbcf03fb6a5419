package io.intentstream.ingest;

import io.intentstream.metrics.IntentMetrics;
import io.intentstream.registry.serde.AvroDeserializationException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * Kafka Streams' log-and-continue deserialization handler, which already writes the original bytes
 * with the {@code __streams.errors.*} headers to {@code errors.dead.letter.queue.topic.name}; we add
 * the {@code intentstream.dlq.reason} header and count the record by reason.
 */
public class DeadLetterDeserializationHandler extends LogAndContinueExceptionHandler {
    private IntentMetrics metrics;

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        metrics = DeadLetterReasons.metricsFrom(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        Response response = super.handleError(context, record, exception);
        DeadLetterReasons.tagAndCount(response.deadLetterQueueRecords(), reasonOf(exception), metrics);
        return response;
    }

    /** The serde's decode reason (UNKNOWN_MAGIC_BYTE, TRUNCATED, ...) or UNDECODABLE. */
    static String reasonOf(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof AvroDeserializationException a && a.reason() != null) {
                return a.reason().name();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return DeadLetterReasons.UNDECODABLE;
    }
}
