package io.intentstream.it.chaos;

import io.intentstream.ingest.DeadLetterReasons;
import io.intentstream.it.DeadLetterReader;
import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The dead-letter topic read {@code read_committed} from the start: dead letters per reason header,
 * counted once per source record (Kafka Streams' topic/partition/offset headers), the copies
 * beyond the first, and any dead letter whose key is not a bad record's (a good event thrown away).
 *
 * <p>Copies: a run once showed two bad records dead-lettered twice, both of the one kind whose
 * decoding needs the registry, around the registry outage. Dead letters are therefore treated
 * as at-least-once (RELIABILITY.md): a consumer dedupes them by their source coordinates.
 */
final class DeadLetterTally {
    final Map<String, Long> byReason = new TreeMap<>();
    final List<String> notBadKeys = new ArrayList<>();
    /** Dead letters with no source record (raised in a punctuation): reason and exception, the first few. */
    final List<String> sourceless = new ArrayList<>();
    /** Extra copies, the first few: reason, source, and where the first and the copy are in the dead-letter topic. */
    final List<String> copyDetails = new ArrayList<>();
    private final Map<String, String> sources = new HashMap<>();
    long total;
    long copies;

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
                } else if (tally.total - tally.copies >= expected && System.nanoTime() - quietSince > 5_000_000_000L) {
                    break;
                }
            }
        }
        return tally;
    }

    private void add(ConsumerRecord<String, byte[]> r) {
        total++;
        String source = header(r, "__streams.errors.topic") + "-" + header(r, "__streams.errors.partition") + "@"
                + header(r, "__streams.errors.offset");
        if (source.startsWith("?-")) {
            source += "#" + total; // no source coordinates: never a copy of another
            if (sourceless.size() < 5) {
                sourceless.add(header(r, DeadLetterReasons.HEADER) + ": " + header(r, "__streams.errors.exception"));
            }
        }
        String where = "dlq-" + r.partition() + "@" + r.offset() + " at " + header(r, DeadLetterReasons.AT_HEADER)
                + " by " + header(r, DeadLetterReasons.THREAD_HEADER);
        String first = sources.putIfAbsent(source, where);
        if (first != null) {
            copies++;
            if (copyDetails.size() < 5) {
                copyDetails.add(header(r, DeadLetterReasons.HEADER) + " " + source + ": first " + first + ", copy " + where);
            }
            return;
        }
        String reason = DeadLetterReader.header(r, DeadLetterReasons.HEADER);
        byReason.merge(reason == null ? "(no reason header)" : reason, 1L, Long::sum);
        if (r.key() != null && !r.key().startsWith("bad-") && notBadKeys.size() < 20) {
            notBadKeys.add(r.key());
        }
    }

    /**
     * A header's text, {@code "?"} when absent or null: Kafka Streams writes a null topic for a dead
     * letter raised in a punctuation, which has no source record (each such one counts on its own).
     */
    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return Objects.requireNonNullElse(DeadLetterReader.header(r, name), "?");
    }
}
