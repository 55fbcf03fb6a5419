package io.intentstream.ingest;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Kafka Streams' log-and-continue processing handler (KIP-1033/1034), so invalid events land in the
 * dead-letter topic in the same format as undecodable ones: source bytes + error headers, plus our
 * reason header, bounded in size ({@link DeadLetterBounds}). Validation failures carry their reason;
 * anything else is PROCESSING_ERROR.
 */
public class DeadLetterProcessingHandler extends LogAndContinueProcessingExceptionHandler {
    private DeadLetterBounds bounds;
    private DeadLetterReasons.DeadLetterCounter counter;

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        bounds = DeadLetterReasons.boundsFrom(configs);
        counter = DeadLetterReasons.counterFrom(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        Response response = super.handleError(context, record, exception);
        return Response.resume(DeadLetterReasons.tagAndCount(response.deadLetterQueueRecords(), reasonOf(exception),
                bounds, counter));
    }

    static String reasonOf(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof InvalidEventException invalid) {
                return invalid.reason();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return DeadLetterReasons.PROCESSING_ERROR;
    }
}
