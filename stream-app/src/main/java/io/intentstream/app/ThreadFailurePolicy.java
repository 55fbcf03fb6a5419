package io.intentstream.app;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A failed stream thread is replaced (a transient broker or model hiccup should not cost the
 * instance), but a failure that keeps recurring shuts the client down: the app then reports not
 * live and exits non-zero, so the orchestrator restarts it with fresh state instead of it spinning.
 */
final class ThreadFailurePolicy implements StreamsUncaughtExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ThreadFailurePolicy.class);

    private final int maxReplacements;
    private final long windowNanos;
    private final Deque<Long> recent = new ArrayDeque<>();

    ThreadFailurePolicy(int maxReplacements, Duration window) {
        this.maxReplacements = maxReplacements;
        this.windowNanos = window.toNanos();
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        long now = System.nanoTime();
        while (!recent.isEmpty() && now - recent.peekFirst() > windowNanos) {
            recent.pollFirst();
        }
        recent.addLast(now);
        if (recent.size() > maxReplacements) {
            log.error("stream thread failed {} times within {} s; shutting the client down", recent.size(),
                    windowNanos / 1_000_000_000L, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        log.error("stream thread failed; replacing it", exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
