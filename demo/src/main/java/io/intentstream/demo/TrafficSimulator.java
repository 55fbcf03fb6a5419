package io.intentstream.demo;

import io.intentstream.clickstream.ShopEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Live shopper traffic for the demo: {@code users} concurrent shoppers acting at an aggregate
 * {@code rate} events per second. The global pace is exact; which shopper acts next follows each
 * shopper's own exponential think time, so visits have realistic gaps and idle periods (which the
 * cart-abandonment trigger needs).
 */
public final class TrafficSimulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TrafficSimulator.class);

    private final Consumer<ShopEvent> sink;
    private final double rate;
    private final PriorityQueue<Shopper> due = new PriorityQueue<>((a, b) -> Long.compare(a.nextDueNanos, b.nextDueNanos));
    private final Random random;
    private final Map<ShopEvent.Kind, AtomicLong> produced = new EnumMap<>(ShopEvent.Kind.class);
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final double meanThinkNanos;
    private final Thread thread;
    private volatile boolean running = true;
    private long counter;

    public TrafficSimulator(Catalog catalog, int users, double rate, long seed, Consumer<ShopEvent> sink) {
        if (users < 1 || rate <= 0) {
            throw new IllegalArgumentException("users must be >= 1 and rate > 0");
        }
        this.sink = sink;
        this.rate = rate;
        this.random = new Random(seed);
        for (ShopEvent.Kind kind : ShopEvent.Kind.values()) {
            produced.put(kind, new AtomicLong());
        }
        // Each shopper acts every users/rate seconds on average, so together they produce ~rate/s.
        this.meanThinkNanos = users / rate * 1e9;
        long now = System.nanoTime();
        for (int i = 1; i <= users; i++) {
            Shopper s = new Shopper(String.format("shopper-%04d", i), catalog, random);
            s.nextDueNanos = now + (long) (random.nextDouble() * meanThinkNanos);
            due.add(s);
        }
        this.thread = new Thread(this::loop, "traffic-simulator");
        this.thread.setDaemon(true);
    }

    public TrafficSimulator start() {
        thread.start();
        return this;
    }

    /** Events produced so far, by kind. */
    public Map<ShopEvent.Kind, Long> produced() {
        Map<ShopEvent.Kind, Long> copy = new EnumMap<>(ShopEvent.Kind.class);
        produced.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    private void loop() {
        long intervalNanos = (long) (1e9 / rate);
        long next = System.nanoTime();
        while (running) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            next += intervalNanos;
            // After a stall (GC, slow broker) do not burst to catch up more than a second.
            next = Math.max(next, System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
            Shopper shopper = due.poll();
            ShopEvent event = shopper.next("sim-" + runId + "-" + (++counter), System.currentTimeMillis());
            double think = -Math.log(1 - random.nextDouble()) * meanThinkNanos;
            shopper.nextDueNanos += (long) (shopper.sessionOver() ? think * 3 : think);
            due.add(shopper);
            try {
                sink.accept(event);
                produced.get(event.kind()).incrementAndGet();
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("traffic simulator could not send an event: {}", e.toString());
                }
            }
        }
    }

    /** Stops producing; returns once the simulator thread has finished. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
