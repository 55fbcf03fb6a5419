package io.intentstream.ingest;

import io.intentstream.metrics.IntentMetrics;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a record cannot be written. Kafka Streams' default answers a failed send with
 * a dead letter of the <em>source</em> record; when the failed send is itself a dead letter (say, a
 * bad record near the size limit whose dead letter is over it), that retries the same oversized
 * write from inside the error path, recursing until the stream thread dies — a crash loop, since
 * the record is read again after every restart.
 *
 * <ul>
 *   <li>a dead letter that cannot be written is dropped, logged and counted
 *       ({@code intentstream_dlq_dropped_total}): the source record was bad input already, and the
 *       good records behind it must keep flowing;</li>
 *   <li>a retriable error is retried (Kafka Streams' default);</li>
 *   <li>any other failure of an output fails the stream thread without a dead letter: our own
 *       outputs failing is a fault to fix, and the aborted transaction keeps the input unconsumed.</li>
 * </ul>
 */
public class DeadLetterProductionHandler implements ProductionExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterProductionHandler.class);
    private IntentMetrics metrics = IntentMetrics.noop();
    private String deadLetterTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        metrics = DeadLetterReasons.metricsFrom(configs);
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        deadLetterTopic = topic == null ? null : topic.toString();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (record != null && record.topic().equals(deadLetterTopic)) {
            metrics.deadLetterDropped();
            log.error("dropping a dead letter for {}-{}@{} that cannot be written ({} value bytes): {}",
                    context.topic(), context.partition(), context.offset(),
                    record.value() == null ? 0 : record.value().length, exception.toString());
            return Response.resume();
        }
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        return Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        return Response.fail();
    }
}
