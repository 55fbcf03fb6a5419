package io.intentstream.it.chaos;

import io.intentstream.intent.IntentScore;
import io.intentstream.intent.IntentTrigger;
import io.intentstream.registry.serde.KafkaAvroDeserializer;
import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads scores and triggers {@code read_committed} for the whole run, as a downstream service
 * would, and keeps only what the checks need, so a 1M-event run fits in the test JVM: per user the
 * last {@code sequence_length} and a bit per length seen (a second score on a length is a
 * duplicate: every counted event changes the length), every trigger id, and the model versions.
 */
final class OutputLedger implements AutoCloseable {
    private final KafkaConsumer<String, Object> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private final Map<String, Integer> lastLength = new ConcurrentHashMap<>();
    private final Map<String, Long> lengthsSeen = new HashMap<>();
    private final Set<String> triggerIds = new HashSet<>();
    private final Map<String, Long> modelVersions = new ConcurrentHashMap<>();
    private final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();
    private final List<String> duplicateScores = new ArrayList<>();
    private final List<String> duplicateTriggers = new ArrayList<>();
    private final List<String> duplicateDetails = new ArrayList<>();
    private final Map<TopicPartition, Long> highestOffset = new HashMap<>();
    private final Map<String, long[]> scoreOffsets = new HashMap<>();
    private final Map<String, long[]> scoredAt = new HashMap<>();
    private long reread;
    private long scores;
    private long triggers;

    OutputLedger(String bootstrapServers, String registryUrl) {
        KafkaAvroDeserializer values = new KafkaAvroDeserializer();
        values.configure(Map.of("schema.registry.url", registryUrl, "specific.avro.reader", true), false);
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000),
                new StringDeserializer(), values);
        // Assigned, not subscribed: a group member that rebalances (the broker restart moves the
        // coordinator) and has no committed offsets would start again from the earliest offset and
        // read every output a second time, which the duplicate checks would then report.
        consumer.assign(partitions(consumer, Topics.SCORES.name(), Topics.TRIGGERS.name()));
        consumer.seekToBeginning(consumer.assignment());
        thread = new Thread(this::run, "chaos-output-ledger");
        thread.setDaemon(true);
        thread.start();
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String... topics) {
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(p -> all.add(new TopicPartition(topic, p.partition())));
        }
        return all;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(200))) {
                    if (!advance(r)) {
                        continue;
                    }
                    if (r.value() instanceof IntentScore s) {
                        score(s, r);
                    } else if (r.value() instanceof IntentTrigger t) {
                        trigger(t);
                    }
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    /**
     * False for a record at or below the highest offset already read from its partition: the
     * reader itself going back (a fetch position reset), which is not the app writing twice. An
     * app duplicate is a second record, at a new offset, and is counted.
     */
    private synchronized boolean advance(ConsumerRecord<String, Object> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        Long highest = highestOffset.get(tp);
        if (highest != null && r.offset() <= highest) {
            reread++;
            return false;
        }
        highestOffset.put(tp, r.offset());
        return true;
    }

    private synchronized void score(IntentScore s, ConsumerRecord<String, Object> r) {
        scores++;
        String user = s.getUserId();
        int length = s.getSequenceLength();
        long[] offsets = scoreOffsets.computeIfAbsent(user, k -> new long[64]);
        int slot = Math.min(length, 63);
        firstSeenNanos.putIfAbsent(user, System.nanoTime());
        lastLength.put(user, length);
        modelVersions.merge(s.getModelVersion(), 1L, Long::sum);
        long bit = 1L << Math.min(length, 63);
        long seen = lengthsSeen.getOrDefault(user, 0L);
        if ((seen & bit) != 0 && length < 63) {
            duplicateScores.add(user + "@" + length);
            if (duplicateDetails.size() < 10) {
                duplicateDetails.add(user + "@" + length + ": " + r.topic() + "-" + r.partition() + " offsets "
                        + (offsets[slot] - 1) + " and " + r.offset() + ", scored_at " + scoredAt.get(user)[slot]
                        + " and " + s.getScoredAt().toEpochMilli() + " ms");
            }
        }
        offsets[slot] = r.offset() + 1;
        scoredAt.computeIfAbsent(user, k -> new long[64])[slot] = s.getScoredAt().toEpochMilli();
        lengthsSeen.put(user, seen | bit);
    }

    private synchronized void trigger(IntentTrigger t) {
        triggers++;
        if (!triggerIds.add(t.getTriggerId())) {
            duplicateTriggers.add(t.getTriggerId());
        }
    }

    /** The last scored length of a user, or 0. */
    int lastLength(String user) {
        checkAlive();
        return lastLength.getOrDefault(user, 0);
    }

    /** When a user's first score was read, or null. */
    Long firstSeenNanos(String user) {
        checkAlive();
        return firstSeenNanos.get(user);
    }

    synchronized long scores() {
        return scores;
    }

    synchronized long triggers() {
        return triggers;
    }

    synchronized List<String> duplicateScores() {
        return List.copyOf(duplicateScores);
    }

    /** Where the first duplicates were: partition, both offsets, both scored_at times. */
    synchronized List<String> duplicateDetails() {
        return List.copyOf(duplicateDetails);
    }

    /** Records the reader itself read a second time (skipped, see {@link #advance}). */
    synchronized long reread() {
        return reread;
    }

    synchronized List<String> duplicateTriggers() {
        return List.copyOf(duplicateTriggers);
    }

    Map<String, Long> modelVersions() {
        return new TreeMap<>(modelVersions);
    }

    private void checkAlive() {
        if (failure != null) {
            throw new AssertionError("the output reader failed", failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
