package io.intentstream.sequence;

import java.math.BigDecimal;

/**
 * A shopper like the live benchmark's, for the tests and benchmarks that size or time per-shopper
 * state: a full window of 50 events plus 50 evicted ids, 10 cart lines, a search every 7th event.
 */
public final class TypicalShopper {
    private TypicalShopper() {}

    /** 100 events 4 s apart from {@code t0}; the shopper was last seen at {@code t0} + 400 s. */
    public static BehaviorSequence at(long t0) {
        BehaviorSequence seq = new BehaviorSequence();
        for (int n = 0; n < 100; n++) {
            String id = "bench-12345-live-" + n;
            long t = t0 + n * 4_000L;
            BehaviorEvent e = n % 7 == 6
                    ? new BehaviorEvent(id, t, StepAction.SEARCH, null, "cat-05", "running shoes", 0f)
                    : new BehaviorEvent(id, t, n % 5 == 4 ? StepAction.ADD_TO_CART : StepAction.VIEW,
                            String.format("sku-%05d", n * 37 % 3000), "cat-05", null, 24.99f);
            seq.add(e, "bench-12345-s", 50);
            if (e.action() == StepAction.ADD_TO_CART && n >= 50) {
                seq.addToCart(e.itemId(), 1, new BigDecimal("24.99"), 10_000);
            }
            seq.accept(t);
        }
        seq.lastSeenMs(t0 + 400_000);
        return seq;
    }
}
