package io.intentstream.topology;

import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.IntentModel;
import io.intentstream.model.LiveModel;
import io.intentstream.scoring.IntentScorer;
import io.intentstream.scoring.UserScore;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.trigger.TriggerState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scoring tick of a task: every dirty shopper is scored once, on their newest sequence, in
 * batches of at most {@code scoring.max.batch}, and their outputs are stored and forwarded. The
 * round holds ONE model lease, so scores and the popularity fallback always come from the same
 * model version even while a hot swap happens. Each shopper's {@link LatestOutputs} (read before
 * the batch) decides, through the {@link RecommendationCadence}, whether the batch also computes
 * their recommendation; the new outputs record how many accepted events the score covered, which
 * is what clears the "owed" state, and the trigger state after the score. The sequence itself is
 * not written (except once per shopper stored before format 5, to drop its legacy trigger state).
 *
 * <p>A round stops starting batches once it has run for its budget ({@code scoring.round.budget.ms}):
 * after a restore with very many users owed a score, one tick must not run past
 * {@code max.poll.interval.ms} or the transaction timeout. Users not reached stay dirty, in
 * arrival order, for the next tick; every round scores at least one batch, so the backlog drains.
 *
 * <p>A batch that fails (one user's corrupt state or odd sequence, an ORT error) is retried one
 * user at a time; a user that fails alone leaves the dirty set and is counted, so it cannot block
 * the users behind it tick after tick. Its sequence stays, so its next event scores it again.
 */
final class ScoringRound {
    private static final Logger log = LoggerFactory.getLogger(ScoringRound.class);

    /** One model call for many users; the topology's is {@link IntentScorer#score}. */
    interface BatchScorer {
        List<UserScore> score(IntentModel model, List<IntentScorer.Candidate> candidates);

        /** Drops what the scorer derived for the user (its K/V cache): erasure and expiry. */
        default void forget(String user) {}

        static BatchScorer of(IntentScorer scorer) {
            return new BatchScorer() {
                @Override
                public List<UserScore> score(IntentModel model, List<IntentScorer.Candidate> candidates) {
                    return scorer.score(model, candidates);
                }

                @Override
                public void forget(String user) {
                    scorer.forget(user);
                }
            };
        }
    }

    /**
     * A dirty user, the sequence read for scoring it, their latest outputs, their trigger state
     * before the score (read once: a retry must see the same) and whether a recommendation is due.
     */
    private record Pending(String user, BehaviorSequence seq, LatestOutputs latest, TriggerState before,
                           boolean recommend) {}

    private final LiveModel model;
    private final BatchScorer scorer;
    private final ShopperStore shoppers;
    private final DirtyShoppers dirty;
    private final OutputAssembler assembler;
    private final RecommendationCadence cadence;
    private final OutputForwarder out;
    private final IntentMetrics metrics;
    private final LongSupplier clock;
    private final String taskId;
    private final int maxBatch;
    private final long budgetNanos;
    private final LongSupplier nanoClock;

    ScoringRound(LiveModel model, BatchScorer scorer, ShopperStore shoppers, DirtyShoppers dirty, OutputAssembler assembler,
                 OutputForwarder out, IntentMetrics metrics, LongSupplier clock, String taskId, int maxBatch) {
        this(model, scorer, shoppers, dirty, assembler, new RecommendationCadence(0), out, metrics, clock, taskId, maxBatch,
                Long.MAX_VALUE, System::nanoTime);
    }

    ScoringRound(LiveModel model, BatchScorer scorer, ShopperStore shoppers, DirtyShoppers dirty, OutputAssembler assembler,
                 RecommendationCadence cadence, OutputForwarder out, IntentMetrics metrics, LongSupplier clock, String taskId,
                 int maxBatch, long budgetNanos, LongSupplier nanoClock) {
        this.model = model;
        this.scorer = scorer;
        this.shoppers = shoppers;
        this.dirty = dirty;
        this.assembler = assembler;
        this.cadence = cadence;
        this.out = out;
        this.metrics = metrics;
        this.clock = clock;
        this.taskId = taskId;
        this.maxBatch = maxBatch;
        this.budgetNanos = budgetNanos;
        this.nanoClock = nanoClock;
    }

    /** Scores every dirty shopper of the task (a punctuator tick, a full batch, or one event in per-event mode). */
    void run() {
        if (!dirty.isEmpty()) {
            long start = nanoClock.getAsLong();
            try (LiveModel.Lease lease = model.lease()) {
                IntentModel m = lease.model();
                List<String> popular = m.sidecar().popularItems();
                while (!dirty.isEmpty()) {
                    List<Pending> batch = nextBatch(m.version());
                    if (batch.isEmpty()) {
                        break;
                    }
                    scoreBatch(m, popular, batch);
                    if (nanoClock.getAsLong() - start >= budgetNanos && !dirty.isEmpty()) {
                        log.debug("scoring round of task {} used its budget; {} users wait for the next tick", taskId,
                                dirty.size());
                        break;
                    }
                }
            }
        }
        metrics.dirtyUsers(taskId, dirty.size());
    }

    private void scoreBatch(IntentModel m, List<String> popular, List<Pending> batch) {
        try {
            scoreAndEmit(m, popular, batch);
        } catch (RuntimeException batchFailure) {
            rethrowIfTaskLevel(batchFailure);
            for (Pending p : batch) {
                if (dirty.contains(p.user())) { // users emitted before the failure are done
                    scoreAlone(m, popular, p);
                }
            }
        }
    }

    /** The next dirty users in arrival order; users without events leave the set, unreadable ones fail. */
    private List<Pending> nextBatch(String modelVersion) {
        long now = clock.getAsLong();
        List<Pending> batch = new ArrayList<>(Math.min(maxBatch, dirty.size()));
        List<String> nothingToScore = new ArrayList<>();
        Map<String, RuntimeException> unreadable = new LinkedHashMap<>();
        for (String user : dirty.users()) {
            if (batch.size() >= maxBatch) {
                break;
            }
            try {
                BehaviorSequence seq = shoppers.get(user);
                if (seq == null || seq.events().isEmpty()) {
                    nothingToScore.add(user);
                } else {
                    LatestOutputs latest = shoppers.latest(user);
                    batch.add(new Pending(user, seq, latest, OutputAssembler.stateBefore(latest, seq),
                            cadence.due(seq, latest, modelVersion, now)));
                }
            } catch (RuntimeException e) {
                rethrowIfTaskLevel(e);
                unreadable.put(user, e);
            }
        }
        nothingToScore.forEach(user -> {
            dirty.clear(user);
            shoppers.release(user);
        });
        unreadable.forEach((user, e) -> {
            giveUp(user, e);
            if (e instanceof SerializationException) {
                shoppers.deleteUndecodable(user); // start the user fresh rather than fail on every event
            }
        });
        return batch;
    }

    private void scoreAndEmit(IntentModel m, List<String> popular, List<Pending> batch) {
        List<IntentScorer.Candidate> candidates = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            candidates.add(new IntentScorer.Candidate(p.user(), p.seq().events(), p.recommend()));
        }
        List<UserScore> scores = scorer.score(m, candidates);
        if (scores.size() != batch.size()) {
            // Unscored users would stay dirty and this loop would never end.
            throw new IllegalStateException(scores.size() + " scores for " + batch.size() + " users");
        }
        long now = clock.getAsLong();
        for (int i = 0; i < scores.size(); i++) {
            Pending p = batch.get(i);
            String user = p.user();
            BehaviorSequence seq = p.seq();
            OutputAssembler.ShopperOutputs outputs = assembler.assemble(user, seq, p.before(), scores.get(i), popular, now);
            TriggerState after = outputs.triggerState();
            LatestOutputs latest = outputs.recommendation()
                    .map(r -> LatestOutputs.of(seq.accepted(), outputs.score(), r, after, now))
                    .orElseGet(() -> LatestOutputs.keepingRecommendation(seq.accepted(), outputs.score(), after, p.latest()));
            // Forwarded before stored: if storing fails, the state is unchanged and a retry or the
            // next score emits again (a trigger keeps its id), where the other order could leave a
            // stored "fired" state whose trigger was never sent. The stored outputs hold the trigger
            // state, so a legacy copy in the sequence is dropped in the same transaction.
            out.scored(user, outputs, latest, now);
            shoppers.recordScored(user, seq, latest, seq.dropLegacyTrigger());
            Long ts = dirty.clear(user);
            if (ts != null) {
                metrics.eventToOutput(now - ts);
            }
        }
    }

    private void scoreAlone(IntentModel m, List<String> popular, Pending p) {
        try {
            scoreAndEmit(m, popular, List.of(p));
        } catch (RuntimeException e) {
            rethrowIfTaskLevel(e);
            giveUp(p.user(), e);
        }
    }

    /** A user that failed on its own leaves this round: logged once, counted, rescored on its next event. */
    private void giveUp(String user, RuntimeException e) {
        dirty.clear(user);
        shoppers.release(user);
        metrics.scoringFailure();
        log.warn("Cannot score user {}; dropped from scoring until their next event", user, e);
    }

    /**
     * What Kafka Streams throws is no user's fault and must reach the stream thread: task-level
     * signals (migrated, corrupted), and a sink or store whose failure the processing handler
     * turned into a thread failure (the registry out of reach, a failed store, a bug past its
     * budget: see {@code DeadLetterProcessingHandler}), which surfaces here out of forward().
     * Retrying such a user alone or giving up on them would drop their outputs while the
     * transaction commits. Anything else (the model, our own code) is this batch's problem.
     */
    private static void rethrowIfTaskLevel(RuntimeException e) {
        if (e instanceof StreamsException) {
            throw e;
        }
    }
}
