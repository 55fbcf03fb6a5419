package io.intentstream.app;

import io.intentstream.ingest.DeadLetterCounts;
import io.intentstream.metrics.IntentMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

import java.util.Map;

/**
 * Kafka Streams' clients as its default supplier makes them, except that each transactional
 * producer counts the dead letters of its committed transactions ({@link DeadLetterCounts}).
 * Without transactions (at-least-once) the handlers count them at once.
 */
final class CommitAwareClientSupplier implements KafkaClientSupplier {
    private final IntentMetrics metrics;
    private final String deadLetterTopic;

    CommitAwareClientSupplier(IntentMetrics metrics, String deadLetterTopic) {
        this.metrics = metrics;
        this.deadLetterTopic = deadLetterTopic;
    }

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return Admin.create(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        return config.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG) == null ? producer
                : new TransactionOutcomeProducer(producer, new DeadLetterCounts(metrics), deadLetterTopic);
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return getConsumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return getConsumer(config);
    }
}
