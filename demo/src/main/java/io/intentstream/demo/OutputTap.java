package io.intentstream.demo;

import io.intentstream.intent.IntentScore;
import io.intentstream.intent.IntentTrigger;
import io.intentstream.intent.Recommendation;
import io.intentstream.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the three output topics as a downstream consumer would ({@code read_committed}: only
 * what the exactly-once app committed) and keeps what the demo's summary shows.
 */
public final class OutputTap implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutputTap.class);
    private static final int KEEP = 6;

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final Map<String, IntentScore> latestScores = new ConcurrentHashMap<>();
    private final Deque<IntentTrigger> triggers = new ArrayDeque<>();
    private final Deque<Recommendation> recommendations = new ArrayDeque<>();
    private final AtomicLong scores = new AtomicLong();
    private final AtomicLong triggerCount = new AtomicLong();
    private volatile long firstScoreAtMillis;
    private volatile boolean running = true;

    public OutputTap(String bootstrapServers) {
        io.intentstream.app.ContractClasses.trust();
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "intentstream-demo-tap-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        thread = new Thread(this::loop, "demo-output-tap");
        thread.setDaemon(true);
    }

    public OutputTap start() {
        thread.start();
        return this;
    }

    private void loop() {
        try {
            consumer.subscribe(Topics.names(Topics.KEYED_OUTPUTS));
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    accept(r);
                }
            }
        } catch (WakeupException e) {
            // close() woke us up
        } catch (RuntimeException e) {
            log.warn("demo output tap stopped: {}", e.toString());
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    private void accept(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            latestScores.remove(r.key());   // erasure tombstone
            return;
        }
        String topic = r.topic();
        if (topic.equals(Topics.SCORES.name())) {
            onScore(FramedAvro.decode(r.value(), Topics.SCORES.valueType()));
        } else if (topic.equals(Topics.TRIGGERS.name())) {
            onTrigger(FramedAvro.decode(r.value(), Topics.TRIGGERS.valueType()));
        } else if (topic.equals(Topics.RECOMMENDATIONS.name())) {
            onRecommendation(FramedAvro.decode(r.value(), Topics.RECOMMENDATIONS.valueType()));
        }
    }

    private void onScore(IntentScore s) {
        if (s == null) {
            return;
        }
        if (firstScoreAtMillis == 0) {
            firstScoreAtMillis = System.currentTimeMillis();
        }
        scores.incrementAndGet();
        latestScores.put(s.getUserId(), s);
    }

    private void onTrigger(IntentTrigger t) {
        if (t == null) {
            return;
        }
        triggerCount.incrementAndGet();
        synchronized (triggers) {
            triggers.addFirst(t);
            while (triggers.size() > KEEP) {
                triggers.removeLast();
            }
        }
    }

    private void onRecommendation(Recommendation rec) {
        if (rec == null) {
            return;
        }
        synchronized (recommendations) {
            recommendations.addFirst(rec);
            while (recommendations.size() > KEEP) {
                recommendations.removeLast();
            }
        }
    }

    /** Shoppers with the highest current purchase probability. */
    public List<IntentScore> topShoppers(int n) {
        return latestScores.values().stream()
                .sorted(Comparator.comparingDouble(IntentScore::getPurchaseProbability).reversed())
                .limit(n).toList();
    }

    public List<IntentTrigger> latestTriggers() {
        synchronized (triggers) {
            return new ArrayList<>(triggers);
        }
    }

    public List<Recommendation> latestRecommendations() {
        synchronized (recommendations) {
            return new ArrayList<>(recommendations);
        }
    }

    public long scoresSeen() {
        return scores.get();
    }

    public long triggersSeen() {
        return triggerCount.get();
    }

    public int usersScored() {
        return latestScores.size();
    }

    /** Wall-clock time of the first committed score read, 0 while none. */
    public long firstScoreAtMillis() {
        return firstScoreAtMillis;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
