package io.intentstream.app;

import io.intentstream.ingest.DeadLetterCounts;
import io.intentstream.ingest.DeadLetterReasons;
import io.intentstream.ingest.DeadLetterProcessingHandler;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.internals.DefaultErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A dead letter counts once its transaction commits; one in an aborted transaction does not. */
class TransactionOutcomeProducerTest {
    private final IntentMetrics metrics = IntentMetrics.noop();
    private final DeadLetterCounts counts = new DeadLetterCounts(metrics);
    private final MockProducer<byte[], byte[]> broker = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final TransactionOutcomeProducer producer = new TransactionOutcomeProducer(broker, counts);
    private final DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();

    TransactionOutcomeProducerTest() {
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTER.name(),
                DeadLetterReasons.METRICS_CONFIG, metrics, DeadLetterReasons.COUNTS_CONFIG, counts));
        producer.initTransactions();
    }

    @Test
    void deadLettersOfAnAbortedTransactionAreNotCountedAndTheRetryIsCountedOnce() {
        producer.beginTransaction();
        deadLetter();
        assertThat(dlqCount()).isZero();
        producer.abortTransaction();
        assertThat(dlqCount()).isZero();

        // The same record is processed again after the abort, in a transaction that commits.
        producer.beginTransaction();
        deadLetter();
        producer.commitTransaction();
        assertThat(dlqCount()).isEqualTo(1);
        assertThat(broker.history()).hasSize(1);
    }

    private void deadLetter() {
        var context = new DefaultErrorHandlerContext(null, Topics.CART.name(), 0, 9L, new RecordHeaders(), "cart-validate",
                new TaskId(0, 0), 0L, "u".getBytes(), new byte[] {1});
        var response = handler.handleError(context, new Record<>("u", "v", 0L), new IllegalArgumentException("bad"));
        response.deadLetterQueueRecords().forEach(producer::send);
    }

    private double dlqCount() {
        var c = metrics.registry().find(IntentMetrics.DLQ_RECORDS).counter();
        return c == null ? 0 : c.count();
    }
}
