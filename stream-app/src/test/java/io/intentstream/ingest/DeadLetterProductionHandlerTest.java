package io.intentstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentstream.metrics.IntentMetrics;
import io.intentstream.schemas.Topics;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.errors.internals.DefaultErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class DeadLetterProductionHandlerTest {
    private final IntentMetrics metrics = IntentMetrics.noop();
    private final DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
    private final byte[] huge = new byte[1_000_000];
    private final DefaultErrorHandlerContext context = new DefaultErrorHandlerContext(null, Topics.SEARCH.name(), 0, 7L,
            new RecordHeaders(), "search-validate", new TaskId(0, 0), 0L, "u".getBytes(), huge);

    DeadLetterProductionHandlerTest() {
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTER.name(),
                DeadLetterReasons.METRICS_CONFIG, metrics));
    }

    @Test
    void aDeadLetterThatCannotBeWrittenIsDroppedAndCountedNotRetriedAsAnotherDeadLetter() {
        Response r = handler.handleError(context, new ProducerRecord<>(Topics.DEAD_LETTER.name(), huge),
                new RecordTooLargeException("too large"));
        assertThat(r.result()).isEqualTo(Result.RESUME);
        // Kafka Streams' default would dead-letter the 1 MB source again, recursing until the thread dies.
        assertThat(r.deadLetterQueueRecords()).isEmpty();
        assertThat(metrics.registry().get(IntentMetrics.DLQ_DROPPED).counter().count()).isEqualTo(1);
    }

    @Test
    void aFailedOutputFailsTheThreadWithoutADeadLetter() {
        Response r = handler.handleError(context, new ProducerRecord<>(Topics.SCORES.name(), new byte[10]),
                new RecordTooLargeException("too large"));
        assertThat(r.result()).isEqualTo(Result.FAIL);
        assertThat(r.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void retriableErrorsAreRetried() {
        Response r = handler.handleError(context, new ProducerRecord<>(Topics.SCORES.name(), new byte[10]),
                new TimeoutException("slow broker"));
        assertThat(r.result()).isEqualTo(Result.RETRY);
    }
}
