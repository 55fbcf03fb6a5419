package io.intentstream.ingest;

import io.intentstream.metrics.IntentMetrics;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts dead letters when the transaction that wrote them commits. Under exactly-once a dead
 * letter is written inside the stream thread's transaction; if that aborts, the record is read and
 * dead-lettered again, so counting at the handler counted it twice (8,253 counted against 8,250 in
 * the topic, seen in a probe). The handlers add to the calling stream thread's pending counts; the
 * thread's producer ({@code app.TransactionOutcomeProducer}) publishes them on commit and drops
 * them on abort. Without transactions (at-least-once) there is nothing to wait for.
 */
public final class DeadLetterCounts {
    private final IntentMetrics metrics;
    private final ThreadLocal<Map<String, Integer>> pending = ThreadLocal.withInitial(HashMap::new);

    public DeadLetterCounts(IntentMetrics metrics) {
        this.metrics = metrics;
    }

    /** A dead letter written in the current thread's open transaction. */
    void pending(String reason) {
        pending.get().merge(reason, 1, Integer::sum);
    }

    /** The current thread's transaction committed: its dead letters are in the topic. */
    public void committed() {
        Map<String, Integer> p = pending.get();
        p.forEach((reason, n) -> metrics.deadLetters(reason, n));
        p.clear();
    }

    /** The current thread's transaction aborted: its dead letters will be written again. */
    public void aborted() {
        pending.get().clear();
    }
}
