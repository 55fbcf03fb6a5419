package io.intentstream.it.chaos;

import io.intentstream.ingest.DeadLetterReasons;
import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dead-letter topic read {@code read_committed} from the start: dead letters per reason header,
 * and any dead letter whose key is not a bad record's (a good event thrown away).
 */
final class DeadLetterTally {
    final Map<String, Long> byReason = new TreeMap<>();
    final List<String> notBadKeys = new ArrayList<>();
    long total;

    /** Reads until {@code expected} dead letters arrived and nothing more came for a few seconds. */
    static DeadLetterTally read(String bootstrapServers, long expected, Duration timeout) {
        DeadLetterTally tally = new DeadLetterTally();
        try (KafkaConsumer<String, byte[]> dlq = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            dlq.assign(OutputLedger.partitions(dlq, Topics.DEAD_LETTER.name()));
            dlq.seekToBeginning(dlq.assignment());
            long deadline = System.nanoTime() + timeout.toNanos();
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                int n = 0;
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(500))) {
                    tally.add(r);
                    n++;
                }
                if (n > 0) {
                    quietSince = System.nanoTime();
                } else if (tally.total >= expected && System.nanoTime() - quietSince > 5_000_000_000L) {
                    break;
                }
            }
        }
        return tally;
    }

    private void add(ConsumerRecord<String, byte[]> r) {
        total++;
        Header h = r.headers().lastHeader(DeadLetterReasons.HEADER);
        byReason.merge(h == null ? "(no reason header)" : new String(h.value(), StandardCharsets.UTF_8), 1L, Long::sum);
        if (r.key() != null && !r.key().startsWith("bad-") && notBadKeys.size() < 20) {
            notBadKeys.add(r.key());
        }
    }
}
