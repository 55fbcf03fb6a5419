package io.intentstream.topology;

import java.util.LinkedHashMap;
import java.util.Set;

/**
 * Shoppers owed a score: userId → newest record timestamp, in arrival order. In memory only: the
 * fact that a score is owed lives in the shopper's stored sequence ({@code pending}), which the
 * changelog already carries, and {@link ShopperStore#rebuildDerived} refills this set from it
 * when a task starts, so a crash or rebalance loses no pending work and marking a shopper costs
 * no changelog record of its own.
 */
final class DirtyShoppers {
    private final LinkedHashMap<String, Long> pending = new LinkedHashMap<>();

    /** Marks the user dirty, keeping the newest record timestamp seen since their last score. */
    void mark(String user, long recordTimestamp) {
        pending.merge(user, recordTimestamp, Math::max);
    }

    /** Removes the user; returns the newest record timestamp they were dirty for, or null. */
    Long clear(String user) {
        return pending.remove(user);
    }

    boolean contains(String user) {
        return pending.containsKey(user);
    }

    /** Dirty users in arrival order (a live view: clear while iterating a copy). */
    Set<String> users() {
        return pending.keySet();
    }

    int size() {
        return pending.size();
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }
}
