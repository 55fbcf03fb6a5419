package io.intentstream.topology;

import io.intentstream.config.IntentConfig;
import io.intentstream.config.ScoringSettings;
import io.intentstream.config.SequenceSettings;
import io.intentstream.events.CartLine;
import io.intentstream.ingest.InboundEvent;
import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.LiveModel;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.trigger.CartAbandonmentTrigger;
import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The stateful step of the topology, one instance per task: applies each event to the shopper's
 * {@link BehaviorSequence} in the {@link ShopperStore} and marks the shopper dirty; a
 * {@link ScoringRound} scores all dirty shoppers every {@code scoring.interval.ms} (or at once when
 * {@code scoring.max.batch} are waiting, or per event); an {@link IdleSweeper} runs on its own
 * wall-clock punctuator. An erasure request purges the shopper and tombstones their outputs.
 */
final class IntentProcessor implements Processor<String, InboundEvent, String, Emitted<?>> {
    private final IntentConfig config;
    private final LiveModel model;
    private final ScoringRound.BatchScorer scorer;
    private final IntentMetrics metrics;
    private final ScoringSettings scoring;
    private final int maxQuantity;

    private ProcessorContext<String, Emitted<?>> context;
    private ShopperStore shoppers;
    private DirtyShoppers dirty;
    private OutputForwarder out;
    private ScoringRound round;
    private IdleSweeper sweeper;
    private String taskId;

    IntentProcessor(IntentConfig config, LiveModel model, ScoringRound.BatchScorer scorer, IntentMetrics metrics) {
        this.config = config;
        this.model = model;
        this.scorer = scorer;
        this.metrics = metrics;
        this.scoring = config.scoring();
        this.maxQuantity = config.ingest().maxQuantity();
    }

    @Override
    public void init(ProcessorContext<String, Emitted<?>> context) {
        this.context = context;
        taskId = context.taskId().toString();
        shoppers = new ShopperStore(context);
        // Fresh derived state on every init, rebuilt from the restored sequences: Kafka Streams
        // re-initialises this same instance when it revives a corrupted task (state wiped and
        // restored from the changelog, the open transaction aborted); shoppers left over from the
        // aborted work would otherwise be scored again on already scored sequences (duplicates).
        dirty = new DirtyShoppers();
        shoppers.rebuildDerived(dirty);
        out = new OutputForwarder(context, metrics);
        round = new ScoringRound(model, scorer, shoppers, dirty, new OutputAssembler(config.outputs()),
                new RecommendationCadence(config.outputs().recommendIntervalMs()), out, metrics, context::currentSystemTimeMs,
                taskId, scoring.maxBatch(), Duration.ofMillis(scoring.roundBudgetMs()).toNanos(), System::nanoTime);
        SequenceSettings sequence = config.sequence();
        sweeper = new IdleSweeper(shoppers, dirty, new CartAbandonmentTrigger(config.outputs().abandonmentMaxProbability()),
                model, out, metrics, context::currentSystemTimeMs, taskId, config.outputs().abandonmentIdleMs(),
                sequence.ttlMs(), scorer::forget);
        context.schedule(Duration.ofMillis(scoring.intervalMs()), PunctuationType.WALL_CLOCK_TIME, t -> round.run());
        context.schedule(Duration.ofMillis(sequence.idleCheckIntervalMs()), PunctuationType.WALL_CLOCK_TIME,
                t -> sweeper.sweep());
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
        BehaviorSequence seq = shoppers.read(user);
        boolean isNew = seq == null;
        if (isNew) {
            seq = new BehaviorSequence();
            LatestOutputs left = shoppers.latest(user); // of a sequence deleted as undecodable
            if (left != null) {
                seq.continueCountFrom(left.scoredThrough());
            }
        }
        try {
            if (!seq.add(e.step(), e.sessionId(), model.maxSeqLen())) {
                return; // duplicate event id: first arrival wins, nothing to re-score
            }
            applyCart(seq, e);
            seq.lastSeenMs(now);
            seq.accept(record.timestamp());
            shoppers.recordActivity(user, seq, now);
        } catch (RuntimeException failed) {
            // The sequence may be the decoded copy the store holds for a shopper owed a score, now
            // changed by part of an event that the processing handler may dead-letter and go on:
            // drop that copy, so the score and the next event read what is stored.
            shoppers.release(user);
            throw failed;
        }
        dirty.mark(user, record.timestamp());
        if (scoring.perEvent() || dirty.size() >= scoring.maxBatch()) {
            round.run();
        }
    }

    private void applyCart(BehaviorSequence seq, InboundEvent e) {
        if (e.kind() != InboundEvent.Kind.CART) {
            return;
        }
        seq.currency(e.currency());
        switch (e.cartAction()) {
            case ADD -> e.cartLines().forEach(l -> seq.addToCart(l.getItemId(), l.getQuantity(), l.getUnitPrice(),
                    maxQuantity));
            case REMOVE -> e.cartLines().forEach(l -> seq.removeFromCart(l.getItemId(), l.getQuantity()));
            case CHECKOUT -> seq.checkout(e.cartLines().stream().map(CartLine::getItemId).toList());
        }
    }

    /** Right to erasure: all state of the user goes, and every keyed output gets a tombstone. */
    private void erase(String user) {
        shoppers.purge(user);
        dirty.clear(user);
        scorer.forget(user);
        out.tombstones(user, context.currentSystemTimeMs());
        metrics.erasure();
    }

    @Override
    public void close() {
        if (taskId != null) {
            metrics.taskClosed(taskId);
        }
    }
}
