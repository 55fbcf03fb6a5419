package io.intentstream.it;

import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** The dead-letter topic as tests read it: {@code read_committed}, as a downstream consumer sees it, or every record ever written ({@link #describeAll}). */
public final class DeadLetterReader {
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
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = dlq.partitionsFor(Topics.DEAD_LETTER.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
            dlq.assign(partitions);
            dlq.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = dlq.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(tp -> dlq.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                dlq.poll(Duration.ofMillis(200)).forEach(r -> lines.add(r.partition() + "@" + r.offset() + " "
                        + headers(r)));
            }
            int read = lines.size();
            partitions.stream().filter(tp -> dlq.position(tp) < end.get(tp)).forEach(tp -> lines.add(
                    "INCOMPLETE: " + tp + " read to " + dlq.position(tp) + " of " + end.get(tp)));
            lines.add(0, "dead-letter end offsets " + partitions.stream().map(end::get).toList()
                    + ", records read: " + read);
        } catch (RuntimeException e) {
            // Called from an assertion's description: a failure here must not hide the assertion's own.
            lines.add("could not read the dead-letter topic: " + e);
        }
        return String.join("\n", lines);
    }

    private static String headers(ConsumerRecord<byte[], byte[]> r) {
        return StreamSupport.stream(r.headers().spliterator(), false)
                .filter(h -> !h.key().equals("__streams.errors.stacktrace"))
                .map(DeadLetterReader::header)
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String header(Header h) {
        String v = h.value() == null ? "null" : new String(h.value(), StandardCharsets.UTF_8);
        return h.key() + "=" + (v.length() > 200 ? v.substring(0, 200) + "..." : v);
    }

    /** A header's text (the newest of that name), or null when the record has none or its value is null. */
    public static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
