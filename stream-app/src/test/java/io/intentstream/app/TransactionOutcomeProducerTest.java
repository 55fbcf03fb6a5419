package io.intentstream.app;

import io.intentstream.ingest.DeadLetterCounts;
import io.intentstream.ingest.DeadLetterReasons;
import io.intentstream.ingest.DeadLetterProcessingHandler;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.internals.DefaultErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dead letter counts once its transaction commits; one in an aborted transaction, or one the
 * broker refused, does not. Driven in Kafka Streams' order: the handler builds the dead letters,
 * then their send opens the transaction when none is open.
 */
class TransactionOutcomeProducerTest {
    private final IntentMetrics metrics = IntentMetrics.noop();
    private final DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();

    TransactionOutcomeProducerTest() {
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTER.name(),
                DeadLetterReasons.METRICS_CONFIG, metrics, DeadLetterReasons.COUNTED_ON_COMMIT_CONFIG, "true"));
    }

    private static MockProducer<byte[], byte[]> broker(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Test
    void aDeadLetterThatOpensATransactionIsCountedWhenItCommits() {
        TransactionOutcomeProducer producer = producer(broker(true));
        List<ProducerRecord<byte[], byte[]>> letters = deadLetters();
        assertThat(dlqCount()).as("not counted by the handler under exactly-once").isZero();

        producer.beginTransaction(); // Kafka Streams opens the transaction with the dead letter's send
        letters.forEach(producer::send);
        producer.send(new ProducerRecord<>(Topics.SCORES.name(), new byte[] {1})); // not a dead letter
        // A replayed dead letter keeps its headers on its way through the app's own topics: not counted.
        ProducerRecord<byte[], byte[]> replayed = letters.get(0);
        producer.send(new ProducerRecord<>("intent-app-browse-by-user-repartition", null, replayed.key(), replayed.value(),
                replayed.headers()));
        assertThat(dlqCount()).isZero();
        producer.commitTransaction();

        assertThat(dlqCount()).isEqualTo(1);
    }

    @Test
    void deadLettersOfAnAbortedTransactionAreNotCountedAndTheRetryIsCountedOnce() {
        MockProducer<byte[], byte[]> broker = broker(true);
        TransactionOutcomeProducer producer = producer(broker);
        List<ProducerRecord<byte[], byte[]>> first = deadLetters();
        producer.beginTransaction();
        first.forEach(producer::send);
        producer.abortTransaction();
        assertThat(dlqCount()).isZero();

        // The same record is processed again after the abort, in a transaction that commits.
        List<ProducerRecord<byte[], byte[]>> again = deadLetters();
        producer.beginTransaction();
        again.forEach(producer::send);
        producer.commitTransaction();
        assertThat(dlqCount()).isEqualTo(1);
        assertThat(broker.history()).hasSize(1);
    }

    @Test
    void aDeadLetterTheBrokerRefusedIsNotCounted() {
        MockProducer<byte[], byte[]> broker = broker(false);
        TransactionOutcomeProducer producer = producer(broker);
        List<ProducerRecord<byte[], byte[]>> letters = deadLetters();
        producer.beginTransaction();
        letters.forEach(producer::send);
        broker.errorNext(new RecordTooLargeException("over the limit")); // dropped by the production handler
        producer.commitTransaction();
        assertThat(dlqCount()).isZero();
    }

    @Test
    void onlyTransactionalProducersCountOnCommit() {
        CommitAwareClientSupplier supplier = new CommitAwareClientSupplier(metrics, Topics.DEAD_LETTER.name());
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
        try (Producer<byte[], byte[]> plain = supplier.getProducer(config);
             Producer<byte[], byte[]> transactional = supplier.getProducer(
                     Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9", ProducerConfig.TRANSACTIONAL_ID_CONFIG, "t-1"))) {
            assertThat(plain).isNotInstanceOf(TransactionOutcomeProducer.class);
            assertThat(transactional).isInstanceOf(TransactionOutcomeProducer.class);
        }
    }

    private TransactionOutcomeProducer producer(MockProducer<byte[], byte[]> broker) {
        TransactionOutcomeProducer producer = new TransactionOutcomeProducer(broker, new DeadLetterCounts(metrics), Topics.DEAD_LETTER.name());
        producer.initTransactions();
        return producer;
    }

    private List<ProducerRecord<byte[], byte[]>> deadLetters() {
        var context = new DefaultErrorHandlerContext(null, Topics.CART.name(), 0, 9L, new RecordHeaders(), "cart-validate",
                new TaskId(0, 0), 0L, "u".getBytes(), new byte[] {1});
        return handler.handleError(context, new Record<>("u", "v", 0L), new IllegalArgumentException("bad")).deadLetterQueueRecords();
    }

    private double dlqCount() {
        var c = metrics.registry().find(IntentMetrics.DLQ_RECORDS).counter();
        return c == null ? 0 : c.count();
    }
}
