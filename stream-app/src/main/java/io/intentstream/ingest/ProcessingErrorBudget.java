package io.intentstream.ingest;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * How many unexpected processing failures (bugs, not bad input) may be dead-lettered per minute.
 * An isolated bug that one odd record trips should not stop every shopper behind it, so that
 * record goes to the dead-letter topic as PROCESSING_ERROR (and pages someone). A bug that trips
 * on many records would, left alone, dead-letter the whole stream: past the budget the stream
 * thread fails instead, its transaction aborts, and nothing more is consumed until it is fixed.
 */
final class ProcessingErrorBudget {
    static final long WINDOW_NANOS = 60_000_000_000L;
    private final int perMinute;
    private final LongSupplier clock;
    private final Deque<Long> recent = new ArrayDeque<>();

    ProcessingErrorBudget(int perMinute, LongSupplier clock) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("ingest.max.processing.errors.per.minute must be >= 0, got " + perMinute);
        }
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** True if one more failure fits in the last minute's budget (and takes it). */
    synchronized boolean tryTake() {
        long now = clock.getAsLong();
        while (!recent.isEmpty() && now - recent.peekFirst() >= WINDOW_NANOS) {
            recent.pollFirst();
        }
        if (recent.size() >= perMinute) {
            return false;
        }
        recent.addLast(now);
        return true;
    }
}
