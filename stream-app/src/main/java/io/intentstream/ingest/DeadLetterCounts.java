package io.intentstream.ingest;

import io.intentstream.metrics.IntentMetrics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The dead letters one transactional producer wrote, counted ({@code intentstream_dlq_records_total})
 * when the transaction that holds them commits. Under exactly-once a dead letter is written inside
 * the stream thread's transaction; if that aborts, the record is read and dead-lettered again, so
 * counting at the handler counted it twice (8,253 counted against 8,250 in the topic, seen in a probe).
 *
 * <p>Counted where the producer sends them ({@code app.TransactionOutcomeProducer}), not in the
 * handlers: a handler runs before Kafka Streams sends its dead letters, and that send is what opens
 * a new transaction. Counting at the handler and forgetting leftovers when a transaction began lost
 * every dead letter that opened one (a poison record arriving while the app was idle was never
 * counted: EndToEndTest saw no {@code intentstream_dlq_records_total} series at all). A dead letter is
 * known by the reason header, which the handlers add to every one.
 */
public final class DeadLetterCounts {
    private final IntentMetrics metrics;
    private final Map<String, Integer> written = new HashMap<>();

    public DeadLetterCounts(IntentMetrics metrics) {
        this.metrics = metrics;
    }

    /** The reason of a dead letter the handlers built, or null for any other record. */
    public static String reasonOf(ProducerRecord<?, ?> record) {
        Header h = record.headers().lastHeader(DeadLetterReasons.HEADER);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The broker acknowledged a dead letter of the open transaction (called on the producer's I/O thread). */
    public synchronized void written(String reason) {
        written.merge(reason, 1, Integer::sum);
    }

    /** The transaction committed: its dead letters are in the topic. */
    public synchronized void committed() {
        written.forEach((reason, n) -> metrics.deadLetters(reason, n));
        written.clear();
    }

    /** The transaction aborted, or ended unseen (a fenced producer): its dead letters will be written again. */
    public synchronized void aborted() {
        written.clear();
    }
}
