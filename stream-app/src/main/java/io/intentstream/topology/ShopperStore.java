package io.intentstream.topology;

import io.intentstream.metrics.IntentMetrics;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.IdleIndex;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the task keeps per shopper: the {@link BehaviorSequence} (changelogged: the source of
 * truth, with its accepted-event count), the {@link LatestOutputs} (changelogged: latest score and
 * recommendation, served by interactive queries, and the count the score covered, so comparing
 * the two tells whether a score is owed), and the idle and cart-abandonment time indexes over the
 * last activity, which are DERIVED: on the heap, not stores, rebuilt from the sequences when the
 * task starts ({@link #rebuildDerived}). Its one reason to change is the layout of that state;
 * what is written when is decided by its callers.
 *
 * <p>Sequences of shoppers owed a score are also held decoded ({@code owed}, write-through: every
 * write goes to the store too), so the scoring round does not decode what the event just encoded.
 * Entries leave when the shopper is scored, given up or purged; a task init starts empty.
 */
final class ShopperStore {
    private static final Logger log = LoggerFactory.getLogger(ShopperStore.class);

    private final KeyValueStore<String, BehaviorSequence> sequences;
    /** Derived, on the heap: filled by {@link #rebuildDerived} when the task starts. */
    private final IdleIndex idle;
    private final IdleIndex abandonmentWatch;
    private final KeyValueStore<String, LatestOutputs> latestOutputs;
    private final java.util.Map<String, BehaviorSequence> owed = new java.util.HashMap<>();

    ShopperStore(ProcessorContext<?, ?> context) {
        sequences = context.getStateStore(StoreNames.SEQUENCES);
        idle = new IdleIndex();
        abandonmentWatch = new IdleIndex();
        latestOutputs = context.getStateStore(StoreNames.LATEST_OUTPUTS);
    }

    /** The stored sequence as is; an undecodable one throws (the scoring round decides what that costs). */
    BehaviorSequence get(String user) {
        BehaviorSequence held = owed.get(user);
        return held != null ? held : sequences.get(user);
    }

    /** The shopper's latest outputs, or null before their first score. */
    LatestOutputs latest(String user) {
        return latestOutputs.get(user);
    }

    /**
     * The user's sequence, or null. Undecodable state is deleted and logged, so the user starts
     * fresh instead of having every event dead-lettered and every idle scan stop at them.
     */
    BehaviorSequence read(String user) {
        try {
            return get(user);
        } catch (SerializationException e) {
            log.warn("Deleting the undecodable behaviour sequence of user {}; the user starts fresh", user, e);
            deleteUndecodable(user);
            return null;
        }
    }

    /** Deletes by writing null: the store's delete() decodes the old value, which here cannot be decoded. */
    void deleteUndecodable(String user) {
        owed.remove(user);
        sequences.put(user, null);
    }

    /**
     * Stores the sequence after an event at {@code nowMs} and moves the user in both time indexes.
     * State first: if it cannot be written (beyond the codec's limits) the record is dead-lettered
     * and the indexes still point at the stored last activity.
     */
    void recordActivity(String user, BehaviorSequence seq, long nowMs) {
        write(user, seq);
        owed.put(user, seq);
        idle.put(user, nowMs);
        if (seq.cart().isEmpty()) {
            abandonmentWatch.remove(user);
        } else {
            abandonmentWatch.put(user, nowMs); // a new idle period: checked again once it is long enough
        }
    }

    /**
     * Stores a scored user's outputs (one record: they hold the trigger state too), and their
     * sequence only when {@code sequenceChanged} (it dropped a legacy trigger state): the score's
     * {@code scoredThrough} alone says no score is owed.
     */
    void recordScored(String user, BehaviorSequence seq, LatestOutputs outputs, boolean sequenceChanged) {
        latestOutputs.put(user, outputs); // first: the sequence may drop a legacy trigger state the outputs now hold
        if (sequenceChanged) {
            write(user, seq);
        }
        owed.remove(user);
    }

    /**
     * Stores the sequence. The caller changed {@code seq} before, and it may be the copy held for
     * the user: if the write fails (beyond the codec's limits, a failed store) that copy goes, so
     * reads fall back to what is stored instead of a change that never was.
     */
    private void write(String user, BehaviorSequence seq) {
        try {
            sequences.put(user, seq);
        } catch (RuntimeException e) {
            owed.remove(user);
            throw e;
        }
    }

    /**
     * Forgets the decoded sequence held for the user, so the next read decodes the stored one: when
     * they leave the scoring round unscored (given up), or an event failed part-way through
     * changing the held copy.
     */
    void release(String user) {
        owed.remove(user);
    }

    /** Shoppers whose cart has been idle since {@code cutoffMs} or earlier, oldest first. */
    List<KeyValue<String, Long>> idleCarts(long cutoffMs, int limit) {
        return abandonmentWatch.dueBy(cutoffMs, limit);
    }

    /** Checked once per idle period: the shopper's next activity re-adds them. */
    void unwatchCart(String user, long lastSeenMs) {
        abandonmentWatch.remove(user, lastSeenMs);
    }

    /** Records in the sequence that this idle period's cart was checked, so a rebuild does not check it again. */
    void cartChecked(String user, BehaviorSequence seq) {
        seq.markAbandonmentChecked();
        write(user, seq);
        owed.computeIfPresent(user, (u, held) -> seq);
    }

    /**
     * Refills the derived state from the stored sequences: both time indexes, and {@code dirty}
     * with every shopper still owed a score, oldest record first. Runs when the task starts (after
     * its sequences are restored); cost: one decode per stored shopper.
     */
    void rebuildDerived(DirtyShoppers dirty) {
        idle.clear();
        abandonmentWatch.clear();
        owed.clear();
        List<KeyValue<String, Long>> pending = new java.util.ArrayList<>();
        List<KeyValue<String, Long>> seen = new java.util.ArrayList<>();
        List<KeyValue<String, Long>> carts = new java.util.ArrayList<>();
        int undecodable = 0;
        try (KeyValueIterator<String, BehaviorSequence> it = sequences.all()) {
            while (it.hasNext()) {
                KeyValue<String, BehaviorSequence> kv;
                try {
                    kv = it.next();
                } catch (SerializationException e) {
                    undecodable++; // the user's next event or sweep deletes it (see read)
                    continue;
                }
                BehaviorSequence seq = kv.value;
                seen.add(KeyValue.pair(kv.key, seq.lastSeenMs()));
                if (!seq.cart().isEmpty() && !seq.abandonmentChecked()) {
                    carts.add(KeyValue.pair(kv.key, seq.lastSeenMs()));
                }
                LatestOutputs latest = seq.accepted() > 0 ? latestOutputs.get(kv.key) : null;
                if (seq.accepted() > (latest == null ? 0 : latest.scoredThrough())) {
                    pending.add(KeyValue.pair(kv.key, seq.lastRecordTs()));
                }
            }
        }
        idle.putAll(seen);
        abandonmentWatch.putAll(carts);
        pending.sort(java.util.Comparator.comparingLong(kv -> kv.value));
        pending.forEach(kv -> dirty.mark(kv.key, kv.value));
        if (undecodable > 0) {
            log.warn("{} stored behaviour sequences cannot be decoded; they are deleted on their user's next event", undecodable);
        }
    }

    /** Shoppers idle since {@code cutoffMs} or earlier, oldest first. */
    List<KeyValue<String, Long>> idleShoppers(long cutoffMs, int limit) {
        return idle.dueBy(cutoffMs, limit);
    }

    void unindexIdle(String user, long lastSeenMs) {
        idle.remove(user, lastSeenMs);
    }

    /** All state of the user, indexes included, even when their sequence was missing or undecodable. */
    void purge(String user) {
        idle.remove(user);
        abandonmentWatch.remove(user);
        owed.remove(user);
        // Null writes, not delete(): delete() decodes the old value, which may be undecodable.
        sequences.put(user, null);
        latestOutputs.put(user, null);
    }

    void reportSizes(IntentMetrics metrics, String taskId) {
        metrics.storeEntries(StoreNames.SEQUENCES, taskId, sequences.approximateNumEntries());
        metrics.storeEntries(StoreNames.LATEST_OUTPUTS, taskId, latestOutputs.approximateNumEntries());
        metrics.storeEntries(StoreNames.IDLE_INDEX, taskId, idle.size());
        metrics.storeEntries(StoreNames.ABANDONMENT_INDEX, taskId, abandonmentWatch.size());
    }
}
