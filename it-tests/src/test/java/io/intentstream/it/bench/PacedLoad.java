package io.intentstream.it.bench;

import io.intentstream.clickstream.ShopEventProducer;

import java.time.Duration;

/** Sends events at a fixed rate in 10 ms ticks, so the load is smooth rather than bursty. */
final class PacedLoad {
    private PacedLoad() {}

    /** Sends {@code perSecond} events/s for {@code duration}; returns how many were sent. */
    static long run(ShopEventProducer producer, BenchTraffic traffic, double perSecond, Duration duration)
            throws InterruptedException {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        while (System.nanoTime() < end) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            long due = (long) (elapsed * perSecond);
            while (sent < due) {
                producer.send(traffic.next());
                sent++;
            }
            Thread.sleep(10);
        }
        producer.flush();
        return sent;
    }
}
