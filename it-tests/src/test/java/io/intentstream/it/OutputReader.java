package io.intentstream.it;

import io.intentstream.registry.serde.KafkaAvroDeserializer;
import io.intentstream.schemas.Topic;
import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads output topics as a downstream service would: through the registry deserializer into the
 * generated classes, and {@code read_committed}, so aborted transactions of a crashed app never
 * show up. Records accumulate across {@link #poll} calls.
 */
final class OutputReader implements AutoCloseable {
    private final KafkaConsumer<String, Object> consumer;
    private final List<ConsumerRecord<String, Object>> records = new ArrayList<>();

    OutputReader(TestKafka kafka, List<? extends Topic<String, ?>> topics) {
        this(kafka.bootstrapServers(), kafka.registryUrl(), topics);
    }

    /** A reader of outputs framed by another registry than the test broker's own. */
    OutputReader(String bootstrapServers, String registryUrl, List<? extends Topic<String, ?>> topics) {
        // A deserializer passed as an instance is not configured by the consumer: do it here.
        KafkaAvroDeserializer values = new KafkaAvroDeserializer();
        values.configure(Map.of("schema.registry.url", registryUrl, "specific.avro.reader", true), false);
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), values);
        consumer.subscribe(Topics.names(topics));
    }

    /** Polls for a short while and returns everything read so far. */
    List<ConsumerRecord<String, Object>> poll() {
        for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(500))) {
            records.add(r);
        }
        return records;
    }

    /** The values read from {@code topic}, as its value type (tombstones left out). */
    <V> List<V> values(Topic<String, V> topic) {
        return records.stream().filter(r -> r.topic().equals(topic.name()) && topic.valueType().isInstance(r.value()))
                .map(r -> topic.valueType().cast(r.value())).toList();
    }

    @Override
    public void close() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
    }
}
