package io.intentstream.app;

import io.intentstream.ingest.DeadLetterCounts;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * A stream thread's transactional producer that counts the dead letters it writes in
 * {@link DeadLetterCounts}: each one the broker acknowledges, published when the transaction
 * commits, so a dead letter is counted once it is really in the topic. Everything else passes
 * straight through.
 */
final class TransactionOutcomeProducer implements Producer<byte[], byte[]> {
    private final Producer<byte[], byte[]> delegate;
    private final DeadLetterCounts counts;
    private final String deadLetterTopic;

    TransactionOutcomeProducer(Producer<byte[], byte[]> delegate, DeadLetterCounts counts, String deadLetterTopic) {
        this.delegate = delegate;
        this.counts = counts;
        this.deadLetterTopic = deadLetterTopic;
    }

    @Override
    public void commitTransaction() {
        delegate.commitTransaction();
        counts.committed();
    }

    @Override
    public void abortTransaction() {
        try {
            delegate.abortTransaction();
        } finally {
            // After the abort: a send acknowledged while it ran belongs to the aborted transaction too.
            counts.aborted();
        }
    }

    @Override
    public void initTransactions() {
        delegate.initTransactions();
    }

    @Override
    public void beginTransaction() {
        // Anything left from a transaction whose end we never saw (a fenced producer) was not committed.
        counts.aborted();
        delegate.beginTransaction();
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        delegate.sendOffsetsToTransaction(offsets, group);
    }

    @Override
    public void registerMetricForSubscription(KafkaMetric metric) {
        delegate.registerMetricForSubscription(metric);
    }

    @Override
    public void unregisterMetricFromSubscription(KafkaMetric metric) {
        delegate.unregisterMetricFromSubscription(metric);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        return send(record, null);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
        // The topic too, not the header alone: headers travel with a record, and a dead letter replayed
        // into an input topic would be counted again on the app's repartition topic.
        String reason = deadLetterTopic.equals(record.topic()) ? DeadLetterCounts.reasonOf(record) : null;
        if (reason == null) {
            return delegate.send(record, callback);
        }
        return delegate.send(record, (metadata, exception) -> {
            if (exception == null) {
                counts.written(reason);
            }
            if (callback != null) {
                callback.onCompletion(metadata, exception);
            }
        });
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return delegate.partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return delegate.metrics();
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
        return delegate.clientInstanceId(timeout);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void close(Duration timeout) {
        delegate.close(timeout);
    }
}
