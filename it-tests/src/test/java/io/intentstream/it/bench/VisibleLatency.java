package io.intentstream.it.bench;

import io.intentstream.intent.IntentScore;
import io.intentstream.registry.serde.KafkaAvroDeserializer;
import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Latency as a downstream service sees it: a {@code read_committed} consumer of the output topic,
 * from the event's send time (its event time) to the moment the consumer receives the output
 * that reflects it, so the exactly-once commit wait is included. For scores the event is the
 * score's {@code newest_event_time}; for the passthrough, the copied record's timestamp.
 */
final class VisibleLatency implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaAvroDeserializer scores;
    private final boolean passthrough;
    private final List<Long> millis = Collections.synchronizedList(new ArrayList<>());
    /**
     * Where the time goes (scores only), split at the score's {@code scored_at}, which the app
     * reads from its clock right after the model ran: event → scored_at (fetch, the wait for a
     * scoring round, the model) and scored_at → seen (the wait for the transaction commit, the
     * commit, this consumer's fetch). The app runs on this machine, so one clock.
     */
    private final List<Long> toScored = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> afterScored = Collections.synchronizedList(new ArrayList<>());
    /** Worst latency per wall-clock second of arrival: shows whether a tail is spread out or stalls. */
    private final java.util.concurrent.ConcurrentSkipListMap<Long, Long> worstPerSecond = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final java.util.concurrent.ConcurrentSkipListMap<Long, Long> recommendationsPerSecond = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread poller;

    VisibleLatency(String bootstrap, String registryUrl, String topic, boolean passthrough) {
        this.passthrough = passthrough;
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-latency-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        scores = new KafkaAvroDeserializer();
        scores.configure(Map.of("schema.registry.url", registryUrl, "specific.avro.reader", true), false);
        // With the scores, the recommendations: how many arrive per second (they cost the app
        // twice a score's model time, and fall due together after a pause).
        consumer.subscribe(passthrough ? List.of(topic) : List.of(topic, Topics.RECOMMENDATIONS.name()));
        // Join and position at the end before any measured event is sent.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        poller = new Thread(this::poll, "bench-latency");
        poller.start();
    }

    private void poll() {
        while (running.get()) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                long now = System.currentTimeMillis();
                if (r.topic().equals(Topics.RECOMMENDATIONS.name())) {
                    recommendationsPerSecond.merge(now / 1000, 1L, Long::sum);
                    continue;
                }
                long eventTime;
                if (passthrough) {
                    eventTime = r.timestamp();
                } else {
                    IntentScore score = (IntentScore) scores.deserialize(r.topic(), r.value());
                    eventTime = score.getNewestEventTime().toEpochMilli();
                    toScored.add(score.getScoredAt().toEpochMilli() - eventTime);
                    afterScored.add(now - score.getScoredAt().toEpochMilli());
                }
                millis.add(now - eventTime);
                worstPerSecond.merge(now / 1000, now - eventTime, Math::max);
            }
        }
    }

    /** The samples so far, and clears them (the scored_at split and recommendation counts too). */
    List<Long> drain() {
        toScored.clear();
        afterScored.clear();
        recommendationsPerSecond.clear();
        return drain(millis);
    }

    /** "event → scored p50/p99, scored → seen p50/p99" of the samples since the last drain, or "". */
    String split() {
        List<Long> a = drain(toScored);
        List<Long> b = drain(afterScored);
        return a.isEmpty() ? "" : String.format(java.util.Locale.ROOT,
                "; event -> scored_at p50 %d p99 %d ms, scored_at -> seen p50 %d p99 %d ms",
                percentile(a, 0.5), percentile(a, 0.99), percentile(b, 0.5), percentile(b, 0.99));
    }

    private static List<Long> drain(List<Long> samples) {
        synchronized (samples) {
            List<Long> copy = new ArrayList<>(samples);
            samples.clear();
            return copy;
        }
    }

    /** "second: recommendations" for every second since the last call (scores only), and clears them. */
    String recommendations() {
        StringBuilder b = new StringBuilder();
        long first = worstPerSecond.isEmpty() ? 0 : worstPerSecond.firstKey();
        recommendationsPerSecond.forEach((sec, n) -> b.append(String.format(java.util.Locale.ROOT, " +%ds:%d", sec - first, n)));
        recommendationsPerSecond.clear();
        return b.toString().trim();
    }

    /** "second: worst ms" for each second whose worst latency exceeded {@code thresholdMs}, and clears them. */
    String stalls(long thresholdMs) {
        StringBuilder b = new StringBuilder();
        long first = worstPerSecond.isEmpty() ? 0 : worstPerSecond.firstKey();
        worstPerSecond.forEach((sec, worst) -> {
            if (worst > thresholdMs) {
                b.append(String.format(java.util.Locale.ROOT, " +%ds:%dms", sec - first, worst));
            }
        });
        worstPerSecond.clear();
        return b.length() == 0 ? "none" : b.toString().trim();
    }

    static long percentile(List<Long> samples, double q) {
        if (samples.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        poller.join(5000);
        consumer.close();
        scores.close();
    }
}
