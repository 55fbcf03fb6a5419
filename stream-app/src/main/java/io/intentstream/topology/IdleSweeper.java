package io.intentstream.topology;

import io.intentstream.metrics.IntentMetrics;
import io.intentstream.model.LiveModel;
import io.intentstream.sequence.BehaviorSequence;
import io.intentstream.trigger.CartAbandonmentTrigger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KeyValue;

/**
 * The wall-clock sweep over idle shoppers ({@code sequence.idle.check.interval.ms}): a cart idle
 * for {@code trigger.cart-abandonment.idle.ms} is checked once for CART_ABANDONMENT_RISK, and a
 * shopper idle for {@code sequence.ttl.ms} has all state dropped. Both read only the oldest entries
 * of a time index, at most {@value #SCAN_LIMIT} per tick.
 */
final class IdleSweeper {
    static final int SCAN_LIMIT = 10_000;

    private final ShopperStore shoppers;
    private final DirtyShoppers dirty;
    private final CartAbandonmentTrigger abandonment;
    private final LiveModel model;
    private final OutputForwarder out;
    private final IntentMetrics metrics;
    private final LongSupplier clock;
    private final String taskId;
    private final long abandonmentIdleMs;
    private final long ttlMs;
    private final Consumer<String> forgetDerived;

    IdleSweeper(ShopperStore shoppers, DirtyShoppers dirty, CartAbandonmentTrigger abandonment, LiveModel model,
                OutputForwarder out, IntentMetrics metrics, LongSupplier clock, String taskId, long abandonmentIdleMs,
                long ttlMs, Consumer<String> forgetDerived) {
        this.shoppers = shoppers;
        this.dirty = dirty;
        this.abandonment = abandonment;
        this.model = model;
        this.out = out;
        this.metrics = metrics;
        this.clock = clock;
        this.taskId = taskId;
        this.abandonmentIdleMs = abandonmentIdleMs;
        this.ttlMs = ttlMs;
        this.forgetDerived = forgetDerived;
    }

    void sweep() {
        long now = clock.getAsLong();
        checkIdleCarts(now);
        int expired = expireIdleShoppers(now);
        if (expired > 0) {
            metrics.expired(expired);
        }
        shoppers.reportSizes(metrics, taskId);
        metrics.storeEntries(StoreNames.DIRTY_USERS, taskId, dirty.size());
        metrics.dirtyUsers(taskId, dirty.size());
    }

    private void checkIdleCarts(long now) {
        for (KeyValue<String, Long> due : shoppers.idleCarts(now - abandonmentIdleMs, SCAN_LIMIT)) {
            shoppers.unwatchCart(due.key, due.value);
            BehaviorSequence seq = shoppers.read(due.key);
            // An entry older than the shopper's last activity is stale: a newer entry exists.
            if (seq != null && seq.lastSeenMs() == due.value && !seq.abandonmentChecked()) {
                LatestOutputs latest = shoppers.latest(due.key);
                double p = latest == null ? Double.NaN : latest.score().getPurchaseProbability();
                abandonment.evaluate(due.key, seq, p, now, model.version()).ifPresent(t -> out.trigger(due.key, t, now));
                shoppers.cartChecked(due.key, seq);
            }
        }
    }

    private int expireIdleShoppers(long now) {
        int expired = 0;
        for (KeyValue<String, Long> due : shoppers.idleShoppers(now - ttlMs, SCAN_LIMIT)) {
            BehaviorSequence seq = shoppers.read(due.key);
            shoppers.unindexIdle(due.key, due.value);
            if (seq != null && seq.lastSeenMs() == due.value) {
                shoppers.purge(due.key);
                dirty.clear(due.key);
                forgetDerived.accept(due.key);
                expired++;
            }
        }
        return expired;
    }
}
