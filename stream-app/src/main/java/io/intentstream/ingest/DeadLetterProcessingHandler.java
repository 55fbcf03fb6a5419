package io.intentstream.ingest;

import io.intentstream.metrics.IntentMetrics;
import java.util.Map;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' log-and-continue processing handler (KIP-1033/1034), so invalid events land in the
 * dead-letter topic in the same format as undecodable ones: source bytes + error headers, plus our
 * reason header, bounded in size ({@link DeadLetterBounds}). Validation failures carry their reason.
 *
 * <p>Anything else is a bug in our code, not bad input, and is never treated as routine: it is
 * logged at ERROR, dead-lettered as PROCESSING_ERROR (an alert pages on that reason) within a
 * small budget ({@link ProcessingErrorBudget}), and past the budget it fails the stream thread, so
 * a systematic bug stops consumption instead of dead-lettering good events wholesale.
 *
 * <p>Kafka Streams also routes here what its own machinery throws inside a processor: a sink whose
 * record cannot be serialized or sent (after {@link DeadLetterProductionHandler} said fail), a
 * store that cannot be written; in a punctuation (where every score is emitted) there is not even
 * a source record, so such a dead letter is an empty one. Two of those failures are never the
 * record's: the schema registry out of reach (a score that cannot get its schema id) and a failed
 * state store. They fail the stream thread with no dead letter, so under exactly-once the
 * transaction aborts and the input is read again; the registry case is retried as a transient
 * fault by the thread's failure policy. So does a write the broker refused (see
 * {@link #isRefusedWrite}). Anything else that fails for one record, an output that cannot be
 * serialized included, stays within the bug budget above, so one bad record cannot crash-loop
 * the app.
 */
public class DeadLetterProcessingHandler extends LogAndContinueProcessingExceptionHandler {
    /** Config key (inside the Streams config) for {@link ProcessingErrorBudget}'s per-minute budget. */
    public static final String MAX_ERRORS_PER_MINUTE_CONFIG = "intentstream.processing.errors.max.per.minute";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
    private IntentMetrics metrics = IntentMetrics.noop();
    private DeadLetterBounds bounds;
    private DeadLetterReasons.DeadLetterCounter counter;
    private ProcessingErrorBudget bugs;

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        metrics = DeadLetterReasons.metricsFrom(configs);
        bounds = DeadLetterReasons.boundsFrom(configs);
        counter = DeadLetterReasons.counterFrom(configs);
        Object budget = configs.get(MAX_ERRORS_PER_MINUTE_CONFIG);
        bugs = new ProcessingErrorBudget(budget == null ? 10 : Integer.parseInt(budget.toString().trim()), System::nanoTime);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (DeadLetterDeserializationHandler.isRegistryUnavailable(exception)) {
            metrics.registryUnavailable();
            log.warn("schema registry unavailable at node {} (source {}-{}@{}); failing the stream thread without a "
                    + "dead letter, it retries after a backoff: {}", context.processorNodeId(), context.topic(),
                    context.partition(), context.offset(), exception.toString());
            return Response.fail();
        }
        if (isStateStoreFailure(exception)) {
            log.error("a state store failed at node {} (source {}-{}@{}); failing the stream thread without a dead "
                    + "letter: {}", context.processorNodeId(), context.topic(), context.partition(), context.offset(),
                    exception.toString());
            return Response.fail();
        }
        if (isRefusedWrite(exception)) {
            log.error("the broker refused a record this task wrote (an output or a state changelog), reported at node {} "
                    + "(source {}-{}@{}); failing the stream thread so the transaction does not commit without it: {}",
                    context.processorNodeId(), context.topic(), context.partition(), context.offset(), exception.toString());
            return Response.fail();
        }
        String reason = reasonOf(exception);
        if (DeadLetterReasons.PROCESSING_ERROR.equals(reason)) {
            if (!bugs.tryTake()) {
                log.error("unexpected processing errors exceed the budget; failing the stream thread (nothing of "
                        + "{}-{}@{} is committed or dead-lettered)", context.topic(), context.partition(), context.offset(),
                        exception);
                return Response.fail();
            }
            log.error("unexpected processing error (a bug, not bad input) at node {} for {}-{}@{}; dead-lettering "
                    + "the record as {}", context.processorNodeId(), context.topic(), context.partition(),
                    context.offset(), reason, exception);
        }
        Response response = super.handleError(context, record, exception);
        return Response.resume(DeadLetterReasons.tagAndCount(response.deadLetterQueueRecords(), reason, bounds, counter));
    }

    /** A store that cannot be read or written (RocksDB, its changelog): not this record's fault. */
    static boolean isStateStoreFailure(Throwable exception) {
        return Causes.find(exception, ProcessorStateException.class).isPresent();
    }

    /**
     * A send the broker failed for good (too large, not authorized, ...) after
     * {@code DeadLetterProductionHandler} said fail. Kafka Streams keeps such an asynchronous
     * failure and throws it at the task's next send, which runs inside a processor or a
     * punctuation, so it arrives here with an unrelated record, and only once. Resuming would
     * commit the transaction without the refused record: a lost output, or a state store ahead of
     * its changelog (every store write sends its changelog record at once: the stores have no
     * record cache). A record that cannot be serialized fails with a SerializationException
     * instead, not a broker error, and stays that record's problem.
     */
    static boolean isRefusedWrite(Throwable exception) {
        return Causes.find(exception, StreamsException.class).map(Throwable::getCause)
                .filter(ApiException.class::isInstance).isPresent();
    }

    static String reasonOf(Throwable exception) {
        return Causes.find(exception, InvalidEventException.class).map(InvalidEventException::reason)
                .orElse(DeadLetterReasons.PROCESSING_ERROR);
    }
}
