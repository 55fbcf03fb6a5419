package io.intentstream.ingest;

import io.intentstream.metrics.IntentMetrics;
import io.intentstream.registry.serde.AvroDeserializationException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' log-and-continue deserialization handler, which already writes the original bytes
 * with the {@code __streams.errors.*} headers to {@code errors.dead.letter.queue.topic.name}; we add
 * the {@code intentstream.dlq.reason} header, bound the dead letter's size and count it by reason.
 *
 * <p>One failure is not the record's fault: the schema registry being unreachable (or refusing us).
 * Dead-lettering then would throw good events away, so the handler fails instead: the transaction
 * aborts, nothing is committed, and the stream thread is replaced after a backoff (see
 * {@code app.ThreadFailurePolicy}) and reads the same records again once the registry answers.
 */
public class DeadLetterDeserializationHandler extends LogAndContinueExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
    private IntentMetrics metrics;
    private DeadLetterBounds bounds;
    private DeadLetterReasons.DeadLetterCounter counter;

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        metrics = DeadLetterReasons.metricsFrom(configs);
        bounds = DeadLetterReasons.boundsFrom(configs);
        counter = DeadLetterReasons.counterFrom(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (isRegistryUnavailable(exception)) {
            metrics.registryUnavailable();
            log.warn("schema registry unavailable while decoding {}-{}@{}; not dead-lettering, the stream thread "
                    + "retries after a backoff: {}", context.topic(), context.partition(), context.offset(),
                    exception.getMessage());
            return Response.fail();
        }
        Response response = super.handleError(context, record, exception);
        return Response.resume(DeadLetterReasons.tagAndCount(response.deadLetterQueueRecords(), reasonOf(exception),
                bounds, counter));
    }

    /** True when the failure is the registry's, not the record's: a transient fault, never a dead letter. */
    public static boolean isRegistryUnavailable(Throwable exception) {
        // The outermost decode failure decides: a serde that says "bad record" wraps no registry fault.
        return Causes.first(exception, t -> t instanceof AvroDeserializationException
                        || t instanceof io.intentstream.registry.RegistryUnavailableException)
                .map(t -> !(t instanceof AvroDeserializationException a)
                        || a.reason() == AvroDeserializationException.Reason.REGISTRY_UNAVAILABLE)
                .orElse(false);
    }

    /** The serde's decode reason (UNKNOWN_MAGIC_BYTE, TRUNCATED, ...) or UNDECODABLE. */
    static String reasonOf(Throwable exception) {
        return Causes.first(exception, t -> t instanceof AvroDeserializationException a && a.reason() != null)
                .map(t -> ((AvroDeserializationException) t).reason().name())
                .orElse(DeadLetterReasons.UNDECODABLE);
    }
}
