package io.intentstream.it.chaos;

import io.intentstream.clickstream.ShopEventProducer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends the run's traffic on its own thread: good events round by round (event i of every
 * shopper, then i+1), paced at {@link ChaosScale#eventsPerSec()}, with the bad records spread
 * evenly between them. The fault schedule opens a gate step by step ({@link #allow}), so that
 * traffic is still flowing when the last fault is injected however slow the machine is.
 * Both producers are idempotent with acks=all and retry through a broker restart; a send that
 * still fails is counted, and the run requires none.
 */
final class TrafficPump implements AutoCloseable {
    private final ChaosScale scale;
    private final ShopEventProducer good;
    private final KafkaProducer<String, byte[]> badProducer;
    private final BadRecords bad;
    private final List<long[]> badPlan;
    private final Thread thread;
    private final AtomicLong goodSent = new AtomicLong();
    private final AtomicLong badSent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Map<String, Long> badSentByKind = new ConcurrentHashMap<>();
    private final List<Throwable> firstFailures = new ArrayList<>();
    private volatile long allowed;
    private volatile boolean stopped;

    TrafficPump(ChaosScale scale, String bootstrapServers, String registryUrl) {
        this.scale = scale;
        this.good = new ShopEventProducer(bootstrapServers, registryUrl,
                Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000), this::failed);
        this.badProducer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000,
                ProducerConfig.CLIENT_ID_CONFIG, "chaos-bad-input"),
                new StringSerializer(), new ByteArraySerializer());
        this.bad = new BadRecords(registryUrl);
        this.badPlan = BadRecords.plan(scale.badPerKind(), 11);
        this.thread = new Thread(this::run, "chaos-traffic");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Lets the pump send up to this fraction of the good events. */
    void allow(double fraction) {
        allowed = Math.round(Math.min(1.0, fraction) * scale.events());
    }

    long goodSent() {
        return goodSent.get();
    }

    long badSent() {
        return badSent.get();
    }

    Map<String, Long> badSentByKind() {
        return Map.copyOf(badSentByKind);
    }

    long failures() {
        return failures.get();
    }

    synchronized List<Throwable> firstFailures() {
        return List.copyOf(firstFailures);
    }

    /** Good producer for probe events, so probes share the traffic's connection and ordering. */
    ShopEventProducer good() {
        return good;
    }

    boolean finished() {
        return !thread.isAlive();
    }

    /** Waits for the pump to send everything and for every send to be acknowledged. */
    void awaitFinished(Duration timeout) throws InterruptedException {
        allow(1.0);
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("traffic not finished after " + timeout + ": " + goodSent() + " good sent");
        }
        good.flush();
        badProducer.flush();
    }

    private void run() {
        int shoppers = scale.shoppers();
        long total = scale.events();
        double badPerGood = (double) badPlan.size() / total;
        long start = System.nanoTime();
        int badIndex = 0;
        for (long j = 0; j < total && !stopped; j++) {
            while (j >= allowed && !stopped) {
                sleep(50);
                start = System.nanoTime() - (long) (j * 1e9 / scale.eventsPerSec()); // no catch-up burst after a gate
            }
            long due = start + (long) (j * 1e9 / scale.eventsPerSec());
            long wait = due - System.nanoTime();
            if (wait > 1_000_000) {
                sleep(wait / 1_000_000);
            }
            int round = (int) (j / shoppers);
            int shopper = (int) (j % shoppers);
            good.send(Shoppers.event(shopper, round, System.currentTimeMillis()));
            goodSent.incrementAndGet();
            while (badIndex < badPlan.size() && badIndex < (j + 1) * badPerGood) {
                sendBad(badPlan.get(badIndex++));
            }
        }
        while (badIndex < badPlan.size() && !stopped) {
            sendBad(badPlan.get(badIndex++));
        }
    }

    private void sendBad(long[] planned) {
        BadRecords.Kind kind = BadRecords.Kind.values()[(int) planned[0]];
        BadRecords.Bad b = bad.build(kind, (int) planned[1]);
        badProducer.send(new ProducerRecord<>(kind.topic, b.key(), b.value()), (metadata, error) -> {
            if (error != null) {
                failed(error);
            } else {
                badSentByKind.merge(kind.name(), 1L, Long::sum);
            }
        });
        badSent.incrementAndGet();
    }

    private synchronized void failed(Exception e) {
        failures.incrementAndGet();
        if (firstFailures.size() < 5) {
            firstFailures.add(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        good.close();
        badProducer.close(Duration.ofSeconds(10));
        bad.close();
    }
}
