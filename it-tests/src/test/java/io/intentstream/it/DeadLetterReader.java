package io.intentstream.it;

import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The dead-letter topic read {@code read_committed} from the start, as a downstream consumer sees it. */
final class DeadLetterReader {
    private DeadLetterReader() {}

    /** Reads until {@code expected} dead letters arrived, then one more second, so extra copies show up too. */
    static List<ConsumerRecord<byte[], byte[]>> read(String bootstrapServers, int expected, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> dlq = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "it-dlq-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            dlq.subscribe(List.of(Topics.DEAD_LETTER.name()));
            Await.until(expected + " dead letters", timeout, () -> {
                dlq.poll(Duration.ofMillis(500)).forEach(seen::add);
                return seen.size() >= expected;
            });
            dlq.poll(Duration.ofSeconds(1)).forEach(seen::add);
        }
        return seen;
    }
}
