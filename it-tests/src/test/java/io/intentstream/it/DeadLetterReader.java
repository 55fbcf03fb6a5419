package io.intentstream.it;

import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

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

    /**
     * Every record ever written to the dead-letter topic, committed, aborted or still open
     * ({@code read_uncommitted}), one line each with its partition, offset and headers: what a failing
     * "nothing was dead-lettered" assertion prints, so the failure says which reason and which writer.
     */
    static String describeAll(String bootstrapServers) {
        List<String> lines = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> dlq = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = dlq.partitionsFor(Topics.DEAD_LETTER.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            dlq.assign(partitions);
            dlq.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = dlq.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(tp -> dlq.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                dlq.poll(Duration.ofMillis(200)).forEach(r -> lines.add(r.partition() + "@" + r.offset() + " "
                        + headers(r)));
            }
            lines.add(0, "dead-letter end offsets " + end.values() + ", records readable: " + lines.size());
        }
        return String.join("\n", lines);
    }

    private static String headers(ConsumerRecord<byte[], byte[]> r) {
        return java.util.stream.StreamSupport.stream(r.headers().spliterator(), false)
                .filter(h -> !h.key().equals("__streams.errors.stacktrace"))
                .map(DeadLetterReader::header)
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String header(Header h) {
        String v = h.value() == null ? "null" : new String(h.value(), StandardCharsets.UTF_8);
        return h.key() + "=" + (v.length() > 200 ? v.substring(0, 200) + "..." : v);
    }
}
