package io.intentstream.app;

import io.intentstream.ingest.DeadLetterDeserializationHandler;
import io.intentstream.metrics.IntentMetrics;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * A failed stream thread is replaced (a transient broker or model hiccup should not cost the
 * instance), but a failure that keeps recurring shuts the client down: the app then reports not
 * live and exits non-zero, so the orchestrator restarts it with fresh state instead of it spinning.
 *
 * <p>A schema-registry outage is transient by nature and not this instance's fault: restarting the
 * process would not help, and dead-lettering would lose good events. Such a failure is retried
 * for as long as it lasts, after a growing backoff (on the dying thread, so the replacement does
 * not spin), does not use up the replacement budget, and keeps the instance not ready until a
 * quiet period has passed (see {@link #inTransientFault()}).
 */
final class ThreadFailurePolicy implements StreamsUncaughtExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ThreadFailurePolicy.class);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final int maxReplacements;
    private final long windowNanos;
    private final IntentMetrics metrics;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private final Deque<Long> recent = new ArrayDeque<>();
    private volatile long lastTransientNanos = Long.MIN_VALUE;
    private volatile long currentBackoffMillis;

    /** Pauses the dying thread; a test replaces it to run without waiting. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    ThreadFailurePolicy(int maxReplacements, Duration window, IntentMetrics metrics) {
        this(maxReplacements, window, metrics, System::nanoTime, Thread::sleep);
    }

    ThreadFailurePolicy(int maxReplacements, Duration window, IntentMetrics metrics, LongSupplier clock, Sleeper sleeper) {
        this.maxReplacements = maxReplacements;
        this.windowNanos = window.toNanos();
        this.metrics = metrics;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        if (DeadLetterDeserializationHandler.isRegistryUnavailable(exception)) {
            return transientFault(exception);
        }
        metrics.streamThreadFailure("fault").increment();
        synchronized (this) {
            long now = clock.getAsLong();
            while (!recent.isEmpty() && now - recent.peekFirst() > windowNanos) {
                recent.pollFirst();
            }
            recent.addLast(now);
            if (recent.size() > maxReplacements) {
                log.error("stream thread failed {} times within {} s; shutting the client down", recent.size(),
                        windowNanos / 1_000_000_000L, exception);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
        }
        log.error("stream thread failed; replacing it", exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private StreamThreadExceptionResponse transientFault(Throwable exception) {
        metrics.streamThreadFailure("transient").increment();
        long backoff;
        synchronized (this) {
            long now = clock.getAsLong();
            boolean continuing = lastTransientNanos != Long.MIN_VALUE
                    && now - lastTransientNanos < 2 * MAX_BACKOFF.toNanos();
            currentBackoffMillis = continuing
                    ? Math.min(MAX_BACKOFF.toMillis(), Math.max(FIRST_BACKOFF.toMillis(), currentBackoffMillis * 2))
                    : FIRST_BACKOFF.toMillis();
            backoff = currentBackoffMillis;
            lastTransientNanos = now;
        }
        log.warn("schema registry unavailable; nothing was dead-lettered or committed, retrying in {} ms: {}",
                backoff, rootMessage(exception));
        try {
            sleeper.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lastTransientNanos = clock.getAsLong();
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /**
     * True while a transient fault (registry outage) is recent: within two maximal backoffs of the
     * last one, so readiness stays down between retries instead of flapping.
     */
    boolean inTransientFault() {
        long last = lastTransientNanos;
        return last != Long.MIN_VALUE && clock.getAsLong() - last < 2 * MAX_BACKOFF.toNanos();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}
