package io.intentstream.topology;

import io.intentstream.config.IntentConfig;
import io.intentstream.events.CartLine;
import io.intentstream.ingest.InboundEvent;
import io.intentstream.intent.IntentScore;
import io.intentstream.intent.IntentTrigger;
import io.intentstream.intent.Recommendation;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.LiveModel;
import io.intentstream.recommend.Recommender;
import io.intentstream.recommend.RecommendationFilter;
import io.intentstream.schemas.Topics;
import io.intentstream.scoring.IntentScorer;
import io.intentstream.scoring.UserScore;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.sequence.IdleIndex;
import io.intentstream.trigger.CartAbandonmentTrigger;
import io.intentstream.trigger.HighIntentTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stateful heart of the topology, one instance per task: keeps each user's
 * {@link BehaviorSequence}, marks users dirty on change, and scores all dirty users of the task in
 * one model call per tick ({@code scoring.interval.ms}) or when {@code scoring.max.batch} users are
 * waiting, so a user with several events in one interval is scored once, on the newest sequence.
 * A second wall-clock punctuator expires idle users and raises cart-abandonment triggers.
 */
final class IntentProcessor implements Processor<String, InboundEvent, String, Emitted> {
    private static final Logger log = LoggerFactory.getLogger(IntentProcessor.class);
    private static final int IDLE_SCAN_LIMIT = 10_000;

    /** One model call for many users; the topology's is {@link IntentScorer#score}. */
    interface BatchScorer {
        List<UserScore> score(List<IntentScorer.Candidate> candidates);
    }

    /** A dirty user and the sequence read for scoring it. */
    private record Pending(String user, BehaviorSequence seq) {}

    private final IntentConfig config;
    private final LiveModel model;
    private final BatchScorer scorer;
    private final IntentMetrics metrics;
    private final Recommender recommender;
    private final HighIntentTrigger highIntent;
    private final CartAbandonmentTrigger abandonment;
    private final boolean perEvent;
    private final int maxBatch;

    private ProcessorContext<String, Emitted> context;
    private String taskId;
    private KeyValueStore<String, BehaviorSequence> sequences;
    private KeyValueStore<String, Long> dirtyStore;
    private KeyValueStore<String, IntentScore> latestScores;
    private KeyValueStore<String, Recommendation> latestRecommendations;
    private IdleIndex idle;
    private IdleIndex abandonmentWatch;
    /** Mirror of the dirty store in arrival order: userId → newest record timestamp. */
    private final LinkedHashMap<String, Long> dirty = new LinkedHashMap<>();

    IntentProcessor(IntentConfig config, LiveModel model, IntentScorer scorer, IntentMetrics metrics) {
        this(config, model, scorer::score, metrics);
    }

    IntentProcessor(IntentConfig config, LiveModel model, BatchScorer scorer, IntentMetrics metrics) {
        this.config = config;
        this.model = model;
        this.scorer = scorer;
        this.metrics = metrics;
        this.recommender = new Recommender(new RecommendationFilter(config.recommendTopN()));
        this.highIntent = new HighIntentTrigger(config.highIntentUpper(), config.highIntentLower(), config.highIntentCooldownMs());
        this.abandonment = new CartAbandonmentTrigger(config.abandonmentMaxProbability());
        this.perEvent = config.scoringMode() == IntentConfig.ScoringMode.PER_EVENT;
        this.maxBatch = config.scoringMaxBatch();
    }

    @Override
    public void init(ProcessorContext<String, Emitted> context) {
        this.context = context;
        this.taskId = context.taskId().toString();
        sequences = context.getStateStore(StoreNames.SEQUENCES);
        dirtyStore = context.getStateStore(StoreNames.DIRTY_USERS);
        latestScores = context.getStateStore(StoreNames.LATEST_SCORES);
        latestRecommendations = context.getStateStore(StoreNames.LATEST_RECOMMENDATIONS);
        KeyValueStore<Bytes, byte[]> idleStore = context.getStateStore(StoreNames.IDLE_INDEX);
        KeyValueStore<Bytes, byte[]> watchStore = context.getStateStore(StoreNames.ABANDONMENT_INDEX);
        idle = new IdleIndex(idleStore);
        abandonmentWatch = new IdleIndex(watchStore);
        // Users marked dirty before a crash or rebalance are still owed a score. The store is the
        // only truth: Kafka Streams re-initialises this same instance when it revives a corrupted
        // task (state wiped and restored from the changelog, the open transaction aborted), and users
        // left in the mirror from the aborted work would be scored again on their restored, already
        // scored sequences: a duplicate score, read_committed.
        dirty.clear();
        try (KeyValueIterator<String, Long> it = dirtyStore.all()) {
            it.forEachRemaining(kv -> dirty.put(kv.key, kv.value));
        }
        context.schedule(Duration.ofMillis(config.scoringIntervalMs()), PunctuationType.WALL_CLOCK_TIME, t -> flush());
        context.schedule(Duration.ofMillis(config.idleCheckIntervalMs()), PunctuationType.WALL_CLOCK_TIME, this::idleTick);
    }

    @Override
    public void process(Record<String, InboundEvent> record) {
        InboundEvent e = record.value();
        String user = record.key() != null ? record.key() : e.userId();
        if (e.kind() == InboundEvent.Kind.ERASURE) {
            erase(user);
            return;
        }
        long now = context.currentSystemTimeMs();
        BehaviorSequence seq = readSequence(user);
        boolean isNew = seq == null;
        if (isNew) {
            seq = new BehaviorSequence();
        }
        if (!seq.add(e.step(), e.sessionId(), model.maxSeqLen())) {
            return; // duplicate event id: first arrival wins, nothing to re-score
        }
        applyCart(seq, e);
        long previousSeen = isNew ? -1 : seq.lastSeenMs();
        seq.lastSeenMs(now);
        // State first: if it cannot be written (beyond the codec's limits) the record is
        // dead-lettered and the idle indexes still point at the stored lastSeen.
        sequences.put(user, seq);
        idle.move(user, previousSeen, now);
        if (previousSeen >= 0) {
            abandonmentWatch.remove(user, previousSeen);
        }
        if (!seq.cart().isEmpty()) {
            abandonmentWatch.put(user, now);
        }
        markDirty(user, record.timestamp());
        if (perEvent || dirty.size() >= maxBatch) {
            flush();
        }
    }

    private void applyCart(BehaviorSequence seq, InboundEvent e) {
        if (e.kind() != InboundEvent.Kind.CART) {
            return;
        }
        seq.currency(e.currency());
        int maxQuantity = config.maxQuantity();
        switch (e.cartAction()) {
            case ADD -> e.cartLines().forEach(l -> seq.addToCart(l.getItemId(), l.getQuantity(), l.getUnitPrice(),
                    maxQuantity));
            case REMOVE -> e.cartLines().forEach(l -> seq.removeFromCart(l.getItemId(), l.getQuantity()));
            case CHECKOUT -> seq.checkout(e.cartLines().stream().map(CartLine::getItemId).toList());
        }
    }

    private void markDirty(String user, long recordTimestamp) {
        Long previous = dirty.get(user);
        long ts = previous == null ? recordTimestamp : Math.max(previous, recordTimestamp);
        dirty.put(user, ts);
        dirtyStore.put(user, ts);
    }

    /**
     * Scores every dirty user of this task, in batches of at most scoring.max.batch. A batch that
     * fails (one user's corrupt state or odd sequence, an ORT error) is retried one user at a time;
     * a user that fails alone leaves the dirty set and is counted, so it cannot block the users
     * behind it tick after tick. Its sequence stays, so its next event scores it again.
     */
    void flush() {
        while (!dirty.isEmpty()) {
            List<Pending> batch = nextBatch();
            if (batch.isEmpty()) {
                break;
            }
            try {
                scoreAndEmit(batch);
            } catch (RuntimeException batchFailure) {
                rethrowIfTaskLevel(batchFailure);
                for (Pending p : batch) {
                    if (dirty.containsKey(p.user())) { // users emitted before the failure are done
                        scoreAlone(p);
                    }
                }
            }
        }
        metrics.dirtyUsers(taskId, dirty.size());
    }

    /** The next dirty users in arrival order; users without events leave the set, unreadable ones fail. */
    private List<Pending> nextBatch() {
        List<Pending> batch = new ArrayList<>(Math.min(maxBatch, dirty.size()));
        List<String> nothingToScore = new ArrayList<>();
        Map<String, RuntimeException> unreadable = new LinkedHashMap<>();
        for (String user : dirty.keySet()) {
            if (batch.size() >= maxBatch) {
                break;
            }
            try {
                BehaviorSequence seq = sequences.get(user);
                if (seq == null || seq.events().isEmpty()) {
                    nothingToScore.add(user);
                } else {
                    batch.add(new Pending(user, seq));
                }
            } catch (RuntimeException e) {
                rethrowIfTaskLevel(e);
                unreadable.put(user, e);
            }
        }
        for (String user : nothingToScore) {
            dirty.remove(user);
            dirtyStore.delete(user);
        }
        unreadable.forEach((user, e) -> {
            giveUp(user, e);
            if (e instanceof SerializationException) {
                deleteSequence(user); // undecodable: start the user fresh rather than fail on every event
            }
        });
        return batch;
    }

    private void scoreAndEmit(List<Pending> batch) {
        List<IntentScorer.Candidate> candidates = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            candidates.add(new IntentScorer.Candidate(p.user(), p.seq().events()));
        }
        List<UserScore> scores = scorer.score(candidates);
        if (scores.size() != batch.size()) {
            // Unscored users would stay dirty and this loop would never end.
            throw new IllegalStateException(scores.size() + " scores for " + batch.size() + " users");
        }
        long now = context.currentSystemTimeMs();
        for (int i = 0; i < scores.size(); i++) {
            emit(batch.get(i).user(), batch.get(i).seq(), scores.get(i), now);
            metrics.scoresEmitted(1);
        }
    }

    private void scoreAlone(Pending p) {
        try {
            scoreAndEmit(List.of(p));
        } catch (RuntimeException e) {
            rethrowIfTaskLevel(e);
            giveUp(p.user(), e);
        }
    }

    /** A user that failed on its own leaves this round: logged once, counted, rescored on its next event. */
    private void giveUp(String user, RuntimeException e) {
        dirty.remove(user);
        dirtyStore.delete(user);
        metrics.scoringFailure();
        log.warn("Cannot score user {}; dropped from scoring until their next event", user, e);
    }

    /**
     * Kafka Streams' task-level signals are no user's fault and must reach the stream thread (its
     * own punctuation path rethrows them too); anything else is treated as this batch's problem.
     */
    private static void rethrowIfTaskLevel(RuntimeException e) {
        if (e instanceof TaskMigratedException || e instanceof TaskCorruptedException) {
            throw e;
        }
    }

    /**
     * The user's sequence, or null. Undecodable state is deleted and logged, so the user starts
     * fresh instead of having every event dead-lettered and every idle scan stop at them.
     */
    private BehaviorSequence readSequence(String user) {
        try {
            return sequences.get(user);
        } catch (SerializationException e) {
            log.warn("Deleting the undecodable behaviour sequence of user {}; the user starts fresh", user, e);
            deleteSequence(user);
            return null;
        }
    }

    /** Deletes by writing null: the store's delete() decodes the old value, which here cannot be decoded. */
    private void deleteSequence(String user) {
        sequences.put(user, null);
    }

    private void emit(String user, BehaviorSequence seq, UserScore s, long now) {
        IntentScore score = IntentScore.newBuilder().setUserId(user).setSessionId(seq.sessionId())
                .setPurchaseProbability(s.purchaseProbability()).setNextAction(s.nextActions())
                .setTopInfluences(s.influences()).setSequenceLength(s.sequenceLength())
                .setNewestEventTime(Instant.ofEpochMilli(s.newestEventTimeMs())).setScoredAt(Instant.ofEpochMilli(now))
                .setModelVersion(s.modelVersion()).build();
        Recommendation rec = recommender.recommend(user, s.topItems(), s.personal(), popularItems(), seq.cart().keySet(),
                seq.purchasedInSession(), now, s.modelVersion());
        Optional<IntentTrigger> trigger = highIntent.evaluate(user, seq, s.purchaseProbability(), now, s.modelVersion());
        seq.lastPurchaseProbability(s.purchaseProbability());
        sequences.put(user, seq);
        latestScores.put(user, score);
        latestRecommendations.put(user, rec);
        context.forward(new Record<>(user, new Emitted(Topics.SCORES, score), now));
        context.forward(new Record<>(user, new Emitted(Topics.RECOMMENDATIONS, rec), now));
        trigger.ifPresent(t -> {
            context.forward(new Record<>(user, new Emitted(Topics.TRIGGERS, t), now));
            metrics.trigger(t.getTriggerType().name());
        });
        Long ts = dirty.remove(user);
        dirtyStore.delete(user);
        if (ts != null) {
            metrics.eventToOutput(now - ts);
        }
    }

    private List<String> popularItems() {
        try (LiveModel.Lease lease = model.lease()) {
            return lease.model().sidecar().popularItems();
        }
    }

    private void idleTick(long wallClock) {
        long now = context.currentSystemTimeMs();
        for (KeyValue<String, Long> due : abandonmentWatch.dueBy(now - config.abandonmentIdleMs(), IDLE_SCAN_LIMIT)) {
            abandonmentWatch.remove(due.key, due.value); // once per idle period: next activity re-adds it
            BehaviorSequence seq = readSequence(due.key);
            if (seq != null && seq.lastSeenMs() == due.value) {
                abandonment.evaluate(due.key, seq, now, model.version()).ifPresent(t -> {
                    context.forward(new Record<>(due.key, new Emitted(Topics.TRIGGERS, t), now));
                    metrics.trigger(t.getTriggerType().name());
                });
            }
        }
        int expired = 0;
        for (KeyValue<String, Long> due : idle.dueBy(now - config.sequenceTtlMs(), IDLE_SCAN_LIMIT)) {
            BehaviorSequence seq = readSequence(due.key);
            idle.remove(due.key, due.value);
            if (seq != null && seq.lastSeenMs() == due.value) {
                purge(due.key, seq);
                expired++;
            }
        }
        if (expired > 0) {
            metrics.expired(expired);
        }
        metrics.storeEntries(StoreNames.SEQUENCES, taskId, sequences.approximateNumEntries());
        metrics.storeEntries(StoreNames.DIRTY_USERS, taskId, dirty.size());
        metrics.storeEntries(StoreNames.LATEST_SCORES, taskId, latestScores.approximateNumEntries());
        metrics.storeEntries(StoreNames.LATEST_RECOMMENDATIONS, taskId, latestRecommendations.approximateNumEntries());
        metrics.dirtyUsers(taskId, dirty.size());
    }

    /** Right to erasure: all state of the user goes, and every keyed output gets a tombstone. */
    private void erase(String user) {
        BehaviorSequence seq = readSequence(user);
        purge(user, seq);
        long now = context.currentSystemTimeMs();
        for (String topic : Topics.KEYED_OUTPUTS) {
            context.forward(new Record<>(user, new Emitted(topic, null), now));
        }
        metrics.erasure();
    }

    private void purge(String user, BehaviorSequence seq) {
        if (seq != null) {
            idle.remove(user, seq.lastSeenMs());
            abandonmentWatch.remove(user, seq.lastSeenMs());
        }
        sequences.delete(user);
        dirty.remove(user);
        dirtyStore.delete(user);
        latestScores.delete(user);
        latestRecommendations.delete(user);
    }

    @Override
    public void close() {
        dirty.clear();
        if (taskId != null) {
            metrics.taskClosed(taskId);
        }
    }
}
